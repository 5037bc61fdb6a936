"""Every document of ui/graphql/ is valid against the schema and holds one operation, named
after its file: the UI sends them as they are, and front-end teams copy them."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, validate

from api._ui import UI_DIR
from resolvers import build_schema

SCHEMA = build_schema()._schema
DOCUMENTS = sorted((UI_DIR / "graphql").glob("*.graphql"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_the_document_is_valid_and_names_its_one_operation_after_its_file(path: Path) -> None:
    document = parse(path.read_text(encoding="utf-8"))

    assert validate(SCHEMA, document) == []
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert [o.name.value for o in operations if o.name] == [path.stem]
    assert len(operations) == 1
