"""The demo CMDB (a fictional online retailer), loaded through the import (source "demo")."""

from __future__ import annotations

import asyncio
from pathlib import Path

from graph.errors import FieldError, InvalidInput
from graph.imports._format import read_json
from graph.imports._repository import ImportRepository

__all__ = ["DEMO_FILE", "DemoSummary", "load_demo"]

DEMO_FILE = Path(__file__).parent / "demo" / "demo.json"

DemoSummary = tuple[int, int]


async def load_demo(imports: ImportRepository, actor: str, path: Path = DEMO_FILE) -> DemoSummary:
    """Imports the demo CMDB through `imports` (the caller's wiring builds it); returns the
    numbers of CIs and relationships it holds (created, or found and confirmed: loading twice
    creates nothing new). Raises `InvalidInput`, with a field per bad row (`cis[3].class`),
    when the file is not a valid import; nothing is written then. Same cost as an import
    (docs/import.md)."""
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    request = read_json(text)
    result = await imports.run(request, actor)
    if result.errors:
        raise InvalidInput([FieldError(e.path, e.message, e.code) for e in result.errors])
    cis = result.created + result.updated + result.unchanged
    relationships = (
        result.relationships_created + result.relationships_updated + result.relationships_confirmed
    )
    return cis, relationships
