"""Reading the files `cmdb discover` points at: folders, YAML documents, JSON, CSV. The
mapping itself is pure and lives in `graph/imports/discovery/`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from graph.errors import FieldError, InvalidInput

__all__ = ["files_in", "json_document", "read_text", "yaml_documents"]

YAML_SUFFIXES = (".yaml", ".yml", ".json")


def _usage(message: str) -> InvalidInput:
    return InvalidInput([FieldError("file", message, "INVALID_VALUE")])


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _usage(f"cannot read {path}: {error}") from error


def files_in(paths: Sequence[Path], suffixes: Sequence[str] = YAML_SUFFIXES) -> list[Path]:
    """The files of `paths` in order; a folder gives its files with `suffixes`, recursively,
    sorted by path."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in suffixes)
        elif path.is_file():
            found.append(path)
        else:
            raise _usage(f"{path} does not exist")
    if not found:
        raise _usage(f"no file to read in {', '.join(str(p) for p in paths)}")
    return found


def yaml_documents(files: Sequence[Path]) -> list[Any]:
    """Every YAML document of the files, in order (JSON is YAML too)."""
    documents: list[Any] = []
    for path in files:
        try:
            documents += list(yaml.safe_load_all(read_text(path)))
        except yaml.YAMLError as error:
            raise _usage(f"{path} is not YAML: {error}") from error
    return documents


def json_document(path: Path) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise _usage(f"{path} is not JSON: {error}") from error
