"""`cmdb documents add|list`: the documents an operator registers for the allow-list mode
(docs/api.md, "Persisted documents"). Like `cmdb token`, these talk to Neo4j directly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from graphql import GraphQLError, parse, validate
from rich.markup import escape

from api._cli_base import console, read_settings, with_db
from graph import Database, SystemClock
from graph.documents import DocumentRepository, PersistedDocument, document_hash
from resolvers import build_schema

__all__ = ["documents_app", "read_documents"]

documents_app = typer.Typer(
    help="Persisted documents: register the ones the allow-list mode runs, list them."
)


def _from_json(data: Any, path: Path) -> list[str]:
    """An Apollo persisted-query manifest (`operations: [{id, body}]`) or an object of hash to
    text (Relay's, or ours): the texts; a sha256 key or id must match its text."""
    if isinstance(data, dict) and isinstance(data.get("operations"), list):
        pairs = [(op.get("id"), op.get("body")) for op in data["operations"]]
    elif isinstance(data, dict):
        pairs = list(data.items())
    else:
        raise ValueError(f"{path}: a JSON file is a manifest with operations or an object")
    texts = []
    for key, text in pairs:
        if not isinstance(text, str):
            raise ValueError(f"{path}: the document of {key!r} is not a string")
        if isinstance(key, str) and len(key) == 64 and key != document_hash(text):
            raise ValueError(f"{path}: {key} is not the sha256 of its document")
        texts.append(text)
    return texts


def read_documents(paths: list[Path]) -> list[str]:
    """The documents of the files (a .json manifest, or one GraphQL document per other file),
    each parsed and validated against the schema; ValueError names the first bad one."""
    schema = build_schema()._schema
    texts: list[str] = []
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        found = _from_json(orjson.loads(raw), path) if path.suffix == ".json" else [raw]
        for text in found:
            try:
                errors = validate(schema, parse(text))
            except GraphQLError as error:
                errors = [error]
            if errors:
                raise ValueError(f"{path}: {errors[0].message}")
            texts.append(text)
    return texts


@documents_app.command("add")
def add(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GraphQL files (one document each) or JSON manifests.", exists=True, dir_okay=False
        ),
    ],
) -> None:
    """Register documents as allowed: they run in the allow-list mode (and by their hash)."""
    settings = read_settings()
    try:
        texts = read_documents(files)
    except (ValueError, orjson.JSONDecodeError) as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(1) from error

    async def work(db: Database) -> list[PersistedDocument]:
        return await DocumentRepository(db, SystemClock()).register(
            texts, settings.actor, allowed=True
        )

    stored = with_db(settings, work)
    for document in stored:
        console.print(f"allowed {document.hash}", highlight=False)
    console.print(f"{len(stored)} document(s) registered")


@documents_app.command("list")
def list_documents() -> None:
    """List the allowed documents: hash, when and by whom registered, the start of the text."""

    async def work(db: Database) -> list[PersistedDocument]:
        return await DocumentRepository(db, SystemClock()).allowed()

    # One line each, the hash whole (a table would wrap it): hash, when, by whom, the text.
    for document in with_db(read_settings(), work):
        text = " ".join(document.document.split())
        console.print(
            f"{document.hash}  {document.registered_at:%Y-%m-%d %H:%M}  "
            f"{escape(document.registered_by)}  {escape(text[:60])}",
            highlight=False,
            soft_wrap=True,
        )
