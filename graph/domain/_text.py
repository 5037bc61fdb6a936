"""Text the product accepts: valid Unicode, names from a small character set, and the longest
value any input may carry (docs/api.md, "Input limits"). Pure: the API applies the limits at
its edge, the validators of CIs, relationships and imports the character sets."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = [
    "ATTRIBUTE_KEY",
    "DEFAULT_INPUT_LIMIT",
    "GROUP_NAME",
    "INPUT_LIMITS",
    "input_limit",
    "is_attribute_key",
    "is_group_name",
    "lone_surrogate_at",
]

_SURROGATE = re.compile("[\ud800-\udfff]")

ATTRIBUTE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
"""A free attribute's key: a letter, then letters, digits, `_`, `.`, `-`; 64 at most."""
GROUP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
"""A redundancy group's name: a letter or digit, then letters, digits, `_`, `.`, `-`; 100 at
most (it becomes part of a property name, `minOperational.<group>`)."""

DEFAULT_INPUT_LIMIT = 1000
"""The longest string any argument or input field not in `INPUT_LIMITS` may carry."""

_LONG_TEXT = 20_000
INPUT_LIMITS: Mapping[str, int] = {
    # Searches and filters: matched against every CI, so kept short.
    "search": 200,
    "nameContains": 200,
    "nameStartsWith": 200,
    # Opaque cursors: a sort key (a name of at most 200 characters) and an id, in base64.
    "after": 2000,
    "value": 2000,
    # Free text, of which the records keep at most 10,000 characters (4,000 for a CI).
    **dict.fromkeys(
        (
            "description",
            "implementationPlan",
            "backoutPlan",
            "testPlan",
            "rollbackPlan",
            "workaround",
            "resolution",
            "note",
            "reason",
            "comment",
        ),
        _LONG_TEXT,
    ),
}
"""The longest string an argument or input field of this name may carry, in characters. These
bound what reaches a resolver at all; the stricter rules of each record (a CI name of at most
200 characters, ...) answer below them with the payload's typed errors."""


def input_limit(name: str) -> int:
    """The longest string the argument or input field `name` may carry."""
    return INPUT_LIMITS.get(name, DEFAULT_INPUT_LIMIT)


def is_attribute_key(key: str) -> bool:
    """Whether `key` may name a free attribute (the whole text: a trailing newline is not)."""
    return ATTRIBUTE_KEY.fullmatch(key) is not None


def is_group_name(name: str) -> bool:
    """Whether `name` (already stripped) may name a redundancy group."""
    return GROUP_NAME.fullmatch(name) is not None


def lone_surrogate_at(value: object, path: str = "") -> str | None:
    """The path (`variables.input.name`, `[2]`) of the first string in `value`, nested lists
    and mappings (their keys too), that holds a lone surrogate, which no UTF-8 text can carry;
    None when there is none. O(size of `value`)."""
    if isinstance(value, str):
        return path if _SURROGATE.search(value) else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                return where.encode("utf-8", "backslashreplace").decode()
            found = lone_surrogate_at(item, where)
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = lone_surrogate_at(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None
