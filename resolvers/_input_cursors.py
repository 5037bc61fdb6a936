"""What each part of a cursor must look like before it reaches a query: a cursor is opaque to
clients but not to us, and a forged one (a date that is no date, an id with quotes) must be a
bad request, never a fault in Cypher (docs/api.md, "Pagination")."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import datetime

from resolvers._errors import BadRequest

__all__ = [
    "DOES_NOT_FIT",
    "FORGED",
    "Part",
    "any_text",
    "check_parts",
    "edge_key",
    "identifier",
    "number_in",
    "record_number",
    "score",
    "timestamp",
]

Part = Callable[[str], bool]
"""Whether a decoded cursor part is one the server could have written there."""

# Neo4j's text of a datetime: seconds and fractions when not zero, an offset or Z, and a
# named zone in brackets when it has one.
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
    r"(?:Z|[+-]\d{2}:\d{2}(?::\d{2})?)(?:\[[A-Za-z0-9_/+-]{1,64}\])?"
)
# Ids are UUIDs (an audit entry's adds `/000001`), or an import's own ids: no spaces, no quotes.
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}")
_RECORD_NUMBER = re.compile(r"[A-Z]{3}\d{7,12}")
_EDGE_KEY = re.compile(r"(\S{1,200}) [A-Z_]{1,40} (\S{1,200})")


def timestamp(text: str) -> bool:
    """A datetime as Neo4j writes it (`2024-05-01T10:00:00.123Z`, `...+02:00[Europe/Paris]`)."""
    if _TIMESTAMP.fullmatch(text) is None:
        return False
    try:
        datetime.fromisoformat(text.split("[", 1)[0])
    except ValueError:
        return False  # a 13th month, a 25th hour
    return True


def identifier(text: str) -> bool:
    """The id of a CI, an audit entry or another record."""
    return _IDENTIFIER.fullmatch(text) is not None


def record_number(text: str) -> bool:
    """The number of an ITSM record: INC0001001, CHG0001001, PRB0001001, REL0001001."""
    return _RECORD_NUMBER.fullmatch(text) is not None


def edge_key(text: str) -> bool:
    """A relationship's key: the ids of its ends and its type between them."""
    found = _EDGE_KEY.fullmatch(text)
    return found is not None and identifier(found.group(1)) and identifier(found.group(2))


def any_text(text: str) -> bool:
    """A name: any text (the cursor's length is bounded at the edge)."""
    return True


def number_in(low: int, high: int) -> Part:
    """A whole number from `low` to `high`, in its plain decimal text."""

    def check(text: str) -> bool:
        return text.isascii() and text.isdigit() and low <= int(text) <= high

    return check


def score(text: str) -> bool:
    """A search score: a finite number."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


FORGED = "'{cursor}' is not a cursor this API returned"
DOES_NOT_FIT = "after: the cursor does not fit this ordering"


def check_parts(
    cursor: str, parts: Sequence[str], shape: Sequence[Part], message: str = FORGED
) -> None:
    """Raises `BadRequest` with `message` unless each of `parts` (decoded from `cursor`) fits
    its `shape`."""
    if len(parts) != len(shape) or not all(fits(p) for p, fits in zip(parts, shape, strict=True)):
        raise BadRequest(message.format(cursor=cursor[:100]))
