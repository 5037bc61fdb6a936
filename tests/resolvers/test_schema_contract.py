"""The schema is a contract (docs/operations.md, "The schema as a contract"): schema.graphql,
committed at the repository root, is what the code serves, and no name that UIs and
integrations rely on disappears (deprecate it first: a deprecated field is still in the
schema)."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
)
from graphql import build_schema as from_sdl
from typer.testing import CliRunner

from api.cli import app
from resolvers import build_schema

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"
REGENERATE = "run `make schema` (or `cmdb schema --output schema.graphql`) and commit the file"

# The public names UIs and integrations rely on, as data: each with the arguments they use.
QUERIES = {
    "ci": {"id"},
    "cis": {"filter", "first", "after", "orderBy"},
    "impact": {"ciIds", "maxDepth", "relationTypes"},
    "dependencies": {"ciId", "maxDepth"},
    "simulateOutage": {"ciIds"},
    "singlePointsOfFailure": {"serviceId"},
    "incident": {"number"},
    "incidents": set(),
    "problem": {"number"},
    "change": {"number"},
    "changes": set(),
    "release": {"number"},
    "node": {"id"},
    "knownErrors": set(),
    "problemSuggestions": set(),
    "serviceTrace": set(),
    "changeSchedule": set(),
    "serviceAvailability": set(),
    "serviceLevelReport": set(),
    "capacityHotspots": set(),
    "continuityPlan": set(),
    "costReport": set(),
    "dependencyDrift": {"source", "days"},
}
MUTATIONS = [
    "createCI",
    "updateCI",
    "retireCI",
    "relateCIs",
    "unrelateCIs",
    "importCIs",
    "createIncident",
    "transitionIncident",
    "createProblem",
    "createChange",
    "transitionChange",
    "approveChange",
    "createRelease",
    "importIncidents",
    "transitionProblem",
    "promoteMajorIncident",
    "rejectChange",
    "recomputeImpact",
    "createBlackoutWindow",
    "transitionRelease",
    "setServiceLevel",
    "recordUtilisation",
]
TYPE_FIELDS = {
    "ConfigurationItem": {"class"},
    "Incident": {"priority", "impactedServices"},
    "Change": {"impactedServices", "risk", "conflicts"},
    "ImpactReport": {"impacted", "services", "count"},
    "ImpactedCI": {"ci", "depth", "path", "state", "reason"},
}
ENUM_VALUES = {
    "CIClass": {
        "BUSINESS_SERVICE",
        "TECHNICAL_SERVICE",
        "APPLICATION",
        "MICROSERVICE",
        "DATABASE",
        "CACHE",
        "MESSAGE_QUEUE",
        "LOAD_BALANCER",
        "SOFTWARE",
        "SERVER",
        "VIRTUAL_MACHINE",
        "CONTAINER",
        "CLUSTER",
        "NETWORK_DEVICE",
        "STORAGE_DEVICE",
        "CLOUD_RESOURCE",
        "LOCATION",
    },
    "RelationType": {"DEPENDS_ON", "RUNS_ON", "HOSTED_ON", "CONNECTED_THROUGH", "PROVIDED_BY"},
}
IMPORT_INPUT = {"source", "cis", "relationships", "skipInvalid"}
IMPORT_CI = {"externalId", "name", "class"}
IMPORT_RELATIONSHIP = {"from", "to", "type", "redundancyGroup", "confidence"}
IMPORT_PAYLOAD = {"created", "updated", "unchanged", "failed", "errors"}


def served() -> GraphQLSchema:
    return from_sdl(build_schema(10).as_str())


def named(graphql_type: GraphQLType) -> GraphQLNamedType:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    assert isinstance(graphql_type, GraphQLNamedType)
    return graphql_type


def fields_of(schema: GraphQLSchema, name: str) -> dict[str, object]:
    graphql_type = schema.type_map.get(name)
    assert isinstance(
        graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType
    ), f"type {name} is gone"
    return dict(graphql_type.fields)


def test_schema_graphql_is_the_schema_the_code_serves() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8")

    assert committed == build_schema().as_str() + "\n", (
        f"schema.graphql differs from the code's schema: {REGENERATE}"
    )


def test_cmdb_schema_prints_the_sdl() -> None:
    result = CliRunner().invoke(app, ["schema"])

    assert result.exit_code == 0, result.output
    assert result.output == build_schema().as_str() + "\n"


def test_every_query_of_the_contract_keeps_its_name_and_arguments() -> None:
    schema = served()
    assert schema.query_type is not None
    queries = schema.query_type.fields

    missing = {name for name in QUERIES if name not in queries}
    assert missing == set(), f"queries removed or renamed (deprecate first): {missing}"
    for name, arguments in QUERIES.items():
        assert arguments <= set(queries[name].args), f"{name} lost arguments"


def test_every_mutation_of_the_contract_takes_one_input_and_returns_a_payload() -> None:
    schema = served()
    assert schema.mutation_type is not None
    mutations = schema.mutation_type.fields

    missing = {name for name in MUTATIONS if name not in mutations}
    assert missing == set(), f"mutations removed or renamed (deprecate first): {missing}"
    for name in MUTATIONS:
        assert list(mutations[name].args) == ["input"], name
        assert named(mutations[name].type).name.endswith("Payload"), name


def test_every_type_field_and_enum_value_of_the_contract_is_there() -> None:
    schema = served()

    for type_name, fields in TYPE_FIELDS.items():
        assert fields <= set(fields_of(schema, type_name)), type_name
    for enum_name, values in ENUM_VALUES.items():
        enum = schema.type_map[enum_name]
        assert isinstance(enum, GraphQLEnumType)
        assert values <= set(enum.values), f"{enum_name} lost {values - set(enum.values)}"
    report = fields_of(schema, "ImpactReport")["impacted"]
    assert isinstance(report, GraphQLField)
    assert {"first", "after"} <= set(report.args)
    assert named(report.type).name == "ImpactedCIConnection"


def test_the_import_contract_for_discovery_tools_is_there() -> None:
    schema = served()
    assert schema.mutation_type is not None
    import_cis = schema.mutation_type.fields["importCIs"]

    input_fields = fields_of(schema, named(import_cis.args["input"].type).name)
    assert set(input_fields) >= IMPORT_INPUT
    ci_input = named(input_fields["cis"].type)  # type: ignore[attr-defined]
    relationship_input = named(input_fields["relationships"].type)  # type: ignore[attr-defined]
    assert set(fields_of(schema, ci_input.name)) >= IMPORT_CI
    assert set(fields_of(schema, relationship_input.name)) >= IMPORT_RELATIONSHIP
    assert set(fields_of(schema, named(import_cis.type).name)) >= IMPORT_PAYLOAD
