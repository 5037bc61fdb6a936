"""The settings of the limits and of the logs: defaults a production deployment can keep, and
a malformed value that stops start-up with its name."""

from __future__ import annotations

import pytest

from api import Settings
from api.settings import SettingsError


def test_the_limits_have_production_defaults() -> None:
    settings = Settings.from_env({})

    assert (
        settings.max_query_depth,
        settings.max_query_aliases,
        settings.max_query_tokens,
        settings.max_query_cost,
        settings.max_body_bytes,
        settings.time_budget_seconds,
        settings.neo4j_pool_size,
        settings.neo4j_acquisition_timeout,
        settings.log_format,
    ) == (15, 50, 10_000, 50_000, 4 * 1024 * 1024, 30, 50, 5, "json")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CMDB_MAX_QUERY_COST", "0", "CMDB_MAX_QUERY_COST must be between 1 and 100000000, got 0"),
        ("CMDB_MAX_QUERY_DEPTH", "deep", "CMDB_MAX_QUERY_DEPTH must be a whole number, got 'deep'"),
        ("CMDB_LOG_FORMAT", "xml", "CMDB_LOG_FORMAT must be one of json, text, got 'xml'"),
    ],
)
def test_a_malformed_limit_stops_start_up_with_its_name(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({name: value})

    assert str(raised.value) == message
