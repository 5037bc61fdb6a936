"""The names of the paginated types are public contract: the generic Edge / Connection must
not let Strawberry name them after their node (`RelationshipEdge`, `ConfigurationItemEdge`)."""

from __future__ import annotations

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLType
from graphql import build_schema as from_sdl

from resolvers import build_schema

# Connection -> (its edge type, the edge's node type, whether it has totalCount).
CONNECTIONS = {
    "CIConnection": ("CIEdge", "ConfigurationItem", True),
    "AuditEventConnection": ("AuditEventEdge", "AuditEvent", False),
    "RelationshipConnection": ("NeighbourEdge", "Relationship", True),
    "StaleCIConnection": ("StaleCIEdge", "StaleCI", True),
    "StaleRelationshipConnection": ("StaleRelationshipEdge", "Relationship", True),
    "IncompleteCIConnection": ("IncompleteCIEdge", "IncompleteCI", True),
    "ImpactedCIConnection": ("ImpactedCIEdge", "ImpactedCI", True),
    "ServiceOutcomeConnection": ("ServiceOutcomeEdge", "ServiceOutcome", True),
    "IncidentConnection": ("IncidentEdge", "Incident", True),
    "ProblemConnection": ("ProblemEdge", "Problem", True),
    "ReleaseConnection": ("ReleaseEdge", "Release", True),
    "ChangeConnection": ("ChangeEdge", "Change", True),
}


def printed_schema() -> GraphQLSchema:
    """The schema as a client sees it: read back from its SDL."""
    return from_sdl(build_schema(10).as_str())


def named(graphql_type: GraphQLType) -> str:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return str(getattr(graphql_type, "name", ""))


def test_every_connection_and_edge_keeps_its_name_and_fields() -> None:
    schema = printed_schema()

    for name, (edge, node, counted) in CONNECTIONS.items():
        connection = schema.type_map[name]
        assert isinstance(connection, GraphQLObjectType), name
        expected = ["edges", "pageInfo", *(["totalCount"] if counted else [])]
        assert list(connection.fields) == expected, name
        assert named(connection.fields["edges"].type) == edge
        edge_type = schema.type_map[edge]
        assert isinstance(edge_type, GraphQLObjectType), edge
        assert list(edge_type.fields) == ["cursor", "node"]
        assert named(edge_type.fields["node"].type) == node


def test_no_type_is_named_after_a_generic() -> None:
    names = set(printed_schema().type_map)

    assert not {n for n in names if n.endswith(("Edge", "Connection"))} - {
        *CONNECTIONS,
        *(edge for edge, _, _ in CONNECTIONS.values()),
        "DependencyEdge",
    }
