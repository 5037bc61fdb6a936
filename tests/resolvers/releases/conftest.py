"""The release tests' application: the change tests' (the session's Neo4j, a clock the tests
move, one CAB approval required)."""

from tests.resolvers.changes.conftest import app, client, clock, clock_at_start, gql

__all__ = ["app", "client", "clock", "clock_at_start", "gql"]
