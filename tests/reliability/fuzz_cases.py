"""What the fuzzing (tests/reliability/fuzz.py) sends: Hypothesis strategies of requests drawn
from the live schema. Valid queries and mutations come from hypothesis-graphql; invalid ones from
hypothesis-graphql's negative mode (one schema violation each), from Schemathesis's GraphQL mode
(its negative cases, checked by its own response checks as well), and from mutated documents
and requests (garbled text, unknown fields, missing arguments, variables of the wrong type,
bodies that are not a GraphQL request)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import graphql
import orjson
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis_graphql import Mode, mutations, queries
from hypothesis_graphql import nodes as gql_nodes
from schemathesis.generation import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.specs.graphql.schemas import GraphQLSchema as SchemathesisSchema

from tests.reliability.fuzz_checks import ACCEPTS, ERRORS_ALIAS, JSON, Request
from tests.reliability.fuzz_mangle import garbage_requests, mangled_documents

__all__ = ["requests", "scalars"]


def scalars(known: Sequence[str]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Strategies for the schema's scalars; strings and ids are often ones the store holds (CI
    ids, incident numbers, ...), so that generated operations find something."""
    text = st.text(st.characters(codec="utf-8"), max_size=30)
    # An index into `known`, not sampled_from(known): its repr would spell every value out.
    values = tuple(known)
    pool = st.integers(0, len(values) - 1).map(values.__getitem__) if values else text
    times = st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    )
    return {
        "ID": st.one_of(pool, pool, text).map(gql_nodes.String),
        "String": st.one_of(pool, text, text).map(gql_nodes.String),
        "DateTime": times.map(lambda t: gql_nodes.String(t.isoformat())),
        "Date": times.map(lambda t: gql_nodes.String(t.date().isoformat())),
        "Decimal": st.decimals(-(10**9), 10**9, places=2).map(gql_nodes.String),
    }


def _with_errors(document: graphql.DocumentNode, schema: graphql.GraphQLSchema) -> str:
    """The document, each mutation payload selecting `fuzzErrors: errors { code }`."""
    mutation = schema.mutation_type
    if mutation is None:
        return graphql.print_ast(document)
    [extra] = graphql.parse(f"{{ {ERRORS_ALIAS}: errors {{ code }} }}").definitions
    assert isinstance(extra, graphql.OperationDefinitionNode)
    definitions = []
    for definition in document.definitions:
        if (
            isinstance(definition, graphql.OperationDefinitionNode)
            and definition.operation == graphql.OperationType.MUTATION
        ):
            chosen = definition.selection_set.selections
            fields = tuple(_select_errors(s, mutation, extra) for s in chosen)
            selections = replace(definition.selection_set, selections=fields)
            definition = replace(definition, selection_set=selections)
        definitions.append(definition)
    return graphql.print_ast(replace(document, definitions=tuple(definitions)))


def _select_errors(
    selection: graphql.SelectionNode,
    mutation: graphql.GraphQLObjectType,
    extra: graphql.OperationDefinitionNode,
) -> graphql.SelectionNode:
    if not isinstance(selection, graphql.FieldNode) or selection.selection_set is None:
        return selection
    payload = graphql.get_named_type(mutation.fields[selection.name.value].type)
    if not isinstance(payload, graphql.GraphQLObjectType) or "errors" not in payload.fields:
        return selection
    chosen = (*selection.selection_set.selections, *extra.selection_set.selections)
    return replace(selection, selection_set=replace(selection.selection_set, selections=chosen))


def _post(query: str, kind: str, valid: bool, mutation: bool) -> st.SearchStrategy[Request]:
    return st.sampled_from(list(ACCEPTS)).map(
        lambda accept: Request(kind, valid, mutation, orjson.dumps({"query": query}), accept)
    )


@st.composite
def _generated(
    draw: st.DrawFn,
    schema: graphql.GraphQLSchema,
    custom: dict[str, st.SearchStrategy[graphql.ValueNode]],
    mutation: bool,
    mode: Mode,
) -> Request:
    """One document of hypothesis-graphql: one to three root fields (all of them would seldom
    fit in Hypothesis's buffer)."""
    root = schema.mutation_type if mutation else schema.query_type
    assert root is not None
    names = sorted(root.fields)
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    build = mutations if mutation else queries
    printer: Callable[[graphql.DocumentNode], str] = lambda d: _with_errors(d, schema)  # noqa: E731
    strategy = build(schema, fields=chosen, custom_scalars=custom, print_ast=printer, mode=mode)
    try:
        document = draw(strategy)
    except InvalidArgument:  # nothing to violate in these fields: a valid one instead
        mode = Mode.POSITIVE
        document = draw(build(schema, fields=chosen, custom_scalars=custom, print_ast=printer))
    valid = mode == Mode.POSITIVE
    operation = "mutation" if mutation else "query"
    kind = f"valid {operation}" if valid else f"invalid {operation}: hypothesis-graphql negative"
    return draw(_post(document, kind, valid, mutation))


def _from_schemathesis(case: Case[Any]) -> Request:
    query = str(case.body)
    is_mutation = query.lstrip().startswith("mutation")
    kind = "invalid: schemathesis negative"
    return Request(kind, False, is_mutation, orjson.dumps({"query": query}), JSON, case=case)


def requests(
    schema: graphql.GraphQLSchema, schemathesis: SchemathesisSchema, known: Sequence[str]
) -> st.SearchStrategy[Request]:
    """Every kind of request, about half of them valid."""
    custom = scalars(known)
    valid_queries = _generated(schema, custom, False, Mode.POSITIVE)
    valid_mutations = _generated(schema, custom, True, Mode.POSITIVE)
    valid_documents = st.one_of(
        valid_queries.map(lambda r: r.body), valid_mutations.map(lambda r: r.body)
    ).map(lambda body: str(orjson.loads(body)["query"]))
    negative: Any = schemathesis.as_strategy(GenerationMode.NEGATIVE)
    branches = [
        valid_queries,
        valid_mutations,
        valid_queries,
        valid_mutations,
        _generated(schema, custom, False, Mode.NEGATIVE),
        _generated(schema, custom, True, Mode.NEGATIVE),
        negative.map(_from_schemathesis),
        mangled_documents(valid_documents),
        garbage_requests(valid_documents),
    ]
    # Not st.one_of: it flattens Schemathesis's one_of of every operation into its own
    # branches, and Schemathesis would make nearly all the requests.
    return st.sampled_from(branches).flatmap(lambda branch: branch)
