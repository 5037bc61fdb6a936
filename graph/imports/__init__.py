"""Bulk import with identification, precedence and validation; export; file formats (JSON,
CSV); the demo data set.
"""

from graph.imports._csv import cis_as_csv, read_csv, relationships_as_csv
from graph.imports._demo import DEMO_FILE, load_demo
from graph.imports._export import DEFAULT_EXPORT_SOURCE, ExportDocument, ExportRepository
from graph.imports._format import document_as_json, read_json
from graph.imports._model import (
    ImportCapacity,
    ImportCI,
    ImportProgress,
    ImportRelationship,
    ImportRequest,
    ImportResult,
    ImportSection,
    Observation,
    StaleCI,
    StaleRelationship,
    StaleReport,
)
from graph.imports._precedence import SourcePrecedence, parse_precedence
from graph.imports._preview import ImportPreview
from graph.imports._repository import DEFAULT_BATCH_SIZE, ImportRepository

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_EXPORT_SOURCE",
    "DEMO_FILE",
    "ExportDocument",
    "ExportRepository",
    "ImportCI",
    "ImportCapacity",
    "ImportPreview",
    "ImportProgress",
    "ImportRelationship",
    "ImportRepository",
    "ImportRequest",
    "ImportResult",
    "ImportSection",
    "Observation",
    "SourcePrecedence",
    "StaleCI",
    "StaleRelationship",
    "StaleReport",
    "cis_as_csv",
    "document_as_json",
    "load_demo",
    "parse_precedence",
    "read_csv",
    "read_json",
    "relationships_as_csv",
]
