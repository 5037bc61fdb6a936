"""The release tests' application: the change tests' (the session's Neo4j, a clock the tests
move, one CAB approval required)."""

from tests.resolvers.changes.conftest import app, clock, clock_at_start

__all__ = ["app", "clock", "clock_at_start"]
