"""The import format as files: reading JSON and CSV with lines, writing them back."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from graph.domain import ExternalId, NewCI
from graph.errors import FieldError, InvalidInput
from graph.imports import cis_as_csv, document_as_json, read_csv, read_json, relationships_as_csv
from graph.imports._demo import DEMO_FILE

DOCUMENT = """{
  "source": "discovery",
  "cis": [
    {"externalId": "a", "name": "srv-a", "class": "SERVER"},
    {
      "externalId": "b",
      "name": "srv-b",
      "class": "SERVER",
      "criticality": "two",
      "monthlyCost": 12.50,
      "attributes": {"rack": "A01", "units": 2},
      "externalIds": {"servicenow": "CI001"},
      "minOperational": {"pool": 2},
      "hostName": "typo"
    }
  ],
  "relationships": [
    {"from": "a", "to": "b", "type": "DEPENDS_ON", "confidence": 0.5}
  ]
}
"""


def test_json_rows_keep_their_lines_and_their_values() -> None:
    request = read_json(DOCUMENT)

    assert request.source == "discovery"
    assert [row.line for row in request.cis] == [4, 5]
    assert [row.line for row in request.relationships] == [18]
    first, second = request.cis
    assert (first.external_id, first.ci.name, first.ci.ci_class) == ("a", "srv-a", "SERVER")
    assert second.ci.monthly_cost == "12.50"
    assert second.ci.attributes == (("rack", "A01"), ("units", "2"))
    assert second.ci.external_ids == (ExternalId("servicenow", "CI001"),)
    assert second.min_operational == (("pool", 2),)
    assert request.relationships[0].confidence == 0.5


def test_json_values_of_the_wrong_type_and_unknown_fields_are_row_errors() -> None:
    second = read_json(DOCUMENT).cis[1]

    assert second.parse_errors == (
        FieldError("hostName", "unknown field 'hostName'", "INVALID_VALUE"),
        FieldError(
            "criticality", "criticality must be a whole number, got 'two'", "INVALID_FORMAT"
        ),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"source": "x", "cis": [\n{"name": }]}', "not valid JSON at line 2"),
        ('{"source": "x", "items": []}', "unknown member(s) items"),
        ('{"cis": []}', "no 'source'"),
        ('{"source": "x", "cis": [1, 2]}', "'cis' must be an array of objects"),
        ('{"source": "x"} trailing', "not valid JSON at line 1"),
    ],
)
def test_a_file_that_is_not_an_import_document_is_refused_whole(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_json(text)

    assert refused.value.errors[0].field == "file"
    assert message in refused.value.errors[0].message


def test_a_given_source_overrides_the_documents() -> None:
    assert read_json(DOCUMENT, source="other").source == "other"


CIS_CSV = (
    "externalId,name,class,criticality,attr.rack,externalIds.servicenow,minOperational.pool\n"
    "a,srv-a,SERVER,2,A01,CI001,\n"
    "\n"
    'b,"srv\nb",SERVER,,,,2\n'
    "c,srv-c,SERVER,1\n"
)


def test_csv_rows_keep_their_lines_and_spread_maps_over_columns() -> None:
    request = read_csv(CIS_CSV, "from,to,type\na,b,RUNS_ON\n", "sheet")

    assert request.source == "sheet"
    assert [row.line for row in request.cis] == [2, 4, 6]
    first, second, third = request.cis
    assert first.ci.criticality == 2
    assert first.ci.attributes == (("rack", "A01"),)
    assert first.ci.external_ids == (ExternalId("servicenow", "CI001"),)
    assert second.ci.name == "srv\nb" and second.min_operational == (("pool", 2),)
    assert second.ci.criticality is None and second.ci.attributes == ()
    assert third.parse_errors == (
        FieldError("row", "the row has 4 cells, the header 7", "INVALID_FORMAT"),
    )
    [relationship] = request.relationships
    assert (relationship.from_ref, relationship.type, relationship.line) == ("a", "RUNS_ON", 2)


@pytest.mark.parametrize(
    ("cis", "message"),
    [
        ("name,class,colour\n", "unknown column(s) colour"),
        ("externalId,name\n", "lacks the column(s) class"),
    ],
)
def test_a_csv_header_with_unknown_or_missing_columns_is_refused(cis: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv(cis, None, "sheet")


def sorted_attributes(ci: NewCI) -> NewCI:
    return replace(ci, attributes=tuple(sorted(ci.attributes)))


def test_the_demo_document_reads_back_from_its_csv_form() -> None:
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    from_json = read_json(DEMO_FILE.read_text(encoding="utf-8"))

    from_csv = read_csv(
        cis_as_csv(document["cis"]), relationships_as_csv(document["relationships"]), "demo"
    )

    # CSV columns are sorted; the order of attributes means nothing.
    assert [sorted_attributes(row.ci) for row in from_csv.cis] == [
        sorted_attributes(row.ci) for row in from_json.cis
    ]
    assert [row.min_operational for row in from_csv.cis] == [
        row.min_operational for row in from_json.cis
    ]
    assert [(r.from_ref, r.to_ref, r.type, r.confidence) for r in from_csv.relationships] == [
        (r.from_ref, r.to_ref, r.type, r.confidence) for r in from_json.relationships
    ]


def test_json_is_written_with_two_space_indent_and_a_final_newline() -> None:
    text = document_as_json({"source": "x", "cis": [{"name": "Tomás"}], "relationships": []})

    assert text == (
        '{\n  "source": "x",\n  "cis": [\n    {\n      "name": "Tomás"\n    }\n  ],\n'
        '  "relationships": []\n}\n'
    )
