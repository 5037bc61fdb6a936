"""The availability tests run on the incident tests' application: a clock the tests move, so that
every incident opens and changes state at an exact instant."""

from tests.resolvers.incidents.conftest import (  # noqa: F401
    app,
    clock,
    clock_at_start,
    incident_settings,
)
