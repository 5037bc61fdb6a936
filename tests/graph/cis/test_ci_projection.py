"""CI_PROJECTION reads a CI node exactly as its full property map does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from graph import Database
from graph.cis import ci_from_properties
from graph.cis._projection import CI_PROJECTION, ci_from_projection, datetime_from_text

CREATE = """
CREATE (c:CI:Database {id: 'db-1', name: 'orders-db', class: 'Database', status: 'OPERATIONAL',
  environment: 'PRODUCTION', criticality: 2, version: 3, owner: 'dba', monthlyCost: '120.50',
  externalIds: ['vcenter\u001fvm-42', 'cmdb\u001fX'], `attr.engine`: 'postgres', `attr.port`: 5432,
  `minOperational.pods`: 2, lastConfirmedAt: datetime(),
  createdAt: datetime('2025-03-01T10:15:30.123456789[Europe/Paris]'),
  updatedAt: datetime('2025-03-02T00:00Z')})
CREATE (:CI {id: 'bare', name: 'bare', class: 'Server', status: 'PLANNED', environment: 'TEST',
  version: 1, createdAt: datetime('2025-01-01T00:00:59.5+05:30'), updatedAt: datetime()})
"""

READ_BOTH = "MATCH (c:CI) RETURN c {.*} AS properties, " + CI_PROJECTION + " AS projected"


async def test_projection_and_full_properties_make_the_same_ci(db: Database) -> None:
    await db.write_rows("test.create", CREATE)

    rows = await db.read_rows("test.read", READ_BOTH)

    assert len(rows) == 2
    for row in rows:
        assert ci_from_projection(row["projected"]) == ci_from_properties(row["properties"])
    orders = next(
        ci_from_projection(r["projected"]) for r in rows if r["projected"]["id"] == "db-1"
    )
    assert orders.attributes == (("engine", "postgres"), ("port", "5432"))
    assert orders.min_operational == (("pods", 2),)
    assert orders.created_at.isoformat() == "2025-03-01T10:15:30.123456+01:00"


def test_datetime_text_keeps_the_offset_and_truncates_to_microseconds() -> None:
    assert datetime_from_text("2025-03-01T10:15:30.123456789+01:00[Europe/Paris]") == datetime(
        2025, 3, 1, 10, 15, 30, 123456, timezone(timedelta(hours=1))
    )
    assert datetime_from_text("2025-03-01T10:15Z") == datetime(2025, 3, 1, 10, 15, tzinfo=UTC)
