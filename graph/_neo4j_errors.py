"""Neo4j's errors in the product's words: a write refused by a uniqueness constraint, a disk
that failed Neo4j."""

from __future__ import annotations

import re

from graph.errors import Conflict, StorageFailed

__all__ = ["storage_failed", "unique_key_taken"]

# "Node(9) already exists with label `CI` and properties `class` = 'Server', `serialNumber` =
# 'SN-1'": Neo4j's words for a uniqueness constraint violation (single property: "property").
_ALREADY_EXISTS = re.compile(
    r"already exists with (?:label|type) `(?P<label>[^`]+)` and propert(?:y|ies) (?P<keys>.+)$"
)
_KEY_VALUE = re.compile(r"`(?P<key>[^`]+)` = (?P<value>'(?:[^'\\]|\\.)*'|[^,]+)")


# What Neo4j answers when its disk fails it (checked with Neo4j 2026.08 on a full disk): the
# write that cannot append to the transaction log, then, the database having panicked, every
# transaction, reads included, until the DBMS is restarted (Community cannot restart one
# database: STOP/START DATABASE is not supported there).
_LOG_WRITE_FAILED = "Neo.DatabaseError.Transaction.TransactionLogError"
_PANICKED = "needs to be restarted"
_NO_SPACE = "No space left on device"


def storage_failed(code: str, message: str) -> StorageFailed | None:
    """The `StorageFailed` of a Neo4j error that says its disk failed it, or None."""
    if not code.startswith("Neo.DatabaseError."):
        return None
    if code == _LOG_WRITE_FAILED or _NO_SPACE in message:
        return StorageFailed(
            "Neo4j could not write its transaction log (is its disk full?): the write was "
            "not committed"
        )
    if _PANICKED in message:
        return StorageFailed(
            "Neo4j's database has panicked after a failed write (a full or failing disk) "
            "and answers nothing until Neo4j is restarted"
        )
    return None


def unique_key_taken(message: str) -> Conflict:
    """The `Conflict` of a write that a uniqueness constraint refused, naming the key that
    clashed and its value (from Neo4j's message), in words a user can act on."""
    found = _ALREADY_EXISTS.search(message.strip().rstrip("."))
    pairs = _KEY_VALUE.findall(found.group("keys")) if found else []
    if found is None or not pairs:
        return Conflict(f"the write clashes with a unique key: {message}")
    label = found.group("label")
    keys = " and ".join(f"{key} {value}" for key, value in pairs)
    names = " and ".join(key for key, _ in pairs)
    return Conflict(
        f"a {label} with {keys} exists already: {names} must be unique"
        f"{' together' if len(pairs) > 1 else ''}; change the value, or change that {label}"
        " instead"
    )
