"""Identification rules: how an import row finds the CI it describes (docs/import.md,
"Identification").

The rules are data (`IDENTIFICATION_RULES`), tried in order; the first rule that finds any CI
decides. A rule that finds one CI identifies it; a rule that finds several is ambiguous and the
row is refused rather than guessed. A row no rule identifies is a new CI. docs/import.md lists
the rules for users.

Identification reads the graph before anything is written, so two imports running at once can
both find no CI for a row. What keeps them from both creating it is its `IdentityKey`s: one
node per identifying key under a uniqueness constraint (migration V0008), which the write that
creates the CI claims with `MERGE`, in the same transaction (`graph/imports/_write_cis.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph.domain import EXTERNAL_ID_SEPARATOR

__all__ = [
    "IDENTIFICATION_RULES",
    "Candidate",
    "IdentificationRule",
    "IdentityKey",
    "Lookup",
    "identity_keys",
    "look_up",
]

# Each lookup returns one record holding every match: the driver's cost is per record.
#
# `externalIds` is a list: no index serves "this key is in the list", so this rule reads every
# CI once per import (about 1 s per 100,000 CIs), with all the import's keys at once.
BY_EXTERNAL_ID = """
MATCH (c:CI) WHERE any(entry IN c.externalIds WHERE entry IN $keys)
UNWIND [entry IN c.externalIds WHERE entry IN $keys] AS key
RETURN collect([key, c.id, c.class, c.name]) AS found
"""

BY_ID = """
UNWIND $keys AS key
MATCH (c:CI {id: key})
RETURN collect([key, c.id, c.class, c.name]) AS found
"""

BY_SERIAL_NUMBER = """
UNWIND $keys AS key
MATCH (c:CI {serialNumber: key})
RETURN collect([key, c.id, c.class, c.name]) AS found
"""

BY_FQDN = """
UNWIND $keys AS key
MATCH (c:CI {fqdn: key})
RETURN collect([key, c.id, c.class, c.name]) AS found
"""

BY_HOSTNAME = """
UNWIND $keys AS key
MATCH (c:CI {hostname: key})
RETURN collect([key, c.id, c.class, c.name]) AS found
"""

LOOKUP_CHUNK = 10_000


@dataclass(frozen=True)
class Candidate:
    """A CI in the graph that a key found."""

    id: str
    label: str
    name: str


@dataclass(frozen=True)
class IdentificationRule:
    name: str
    description: str
    key: Callable[[str, str | None, Mapping[str, Any]], str | None]
    """The row's key for this rule, from (source, externalId, validated properties)."""
    lookup: LiteralString
    same_class: bool
    """Whether the CI found must also have the row's class."""
    scans: bool = False
    """The lookup reads every CI: it runs once with all keys instead of in chunks."""
    stored_as: str | None = None
    """The CI property the key is compared with, when a CI created by an import claims the key
    (`IdentityKey`); None for a rule no new CI can match (a CI's own id)."""


@dataclass(frozen=True)
class IdentityKey:
    """One key a new CI claims: `key` names the rule and its value (with the class when the
    rule compares within a class); a CI holds the key while its property `stored_as` is
    `value` (or holds `value`, for the list `externalIds`)."""

    rule: str
    key: str
    stored_as: str
    value: str


def source_key(source: str, external_id: str | None) -> str | None:
    """How a source's id is stored in a CI's `externalIds`."""
    return f"{source}{EXTERNAL_ID_SEPARATOR}{external_id}" if external_id else None


def _property(name: str) -> Callable[[str, str | None, Mapping[str, Any]], str | None]:
    def key(source: str, external_id: str | None, properties: Mapping[str, Any]) -> str | None:
        value = properties.get(name)
        return str(value) if value else None

    return key


IDENTIFICATION_RULES: tuple[IdentificationRule, ...] = (
    IdentificationRule(
        "externalId",
        "the CI whose externalIds hold the import's source with the row's externalId",
        lambda source, external_id, _: source_key(source, external_id),
        BY_EXTERNAL_ID,
        same_class=False,
        scans=True,
        stored_as="externalIds",
    ),
    IdentificationRule(
        "id",
        "the CI whose id is the row's externalId (how `cmdb export` names a CI that has no id"
        " of the export's source)",
        lambda _, external_id, __: external_id,
        BY_ID,
        same_class=False,
    ),
    IdentificationRule(
        "serialNumber",
        "the CI of the row's class with the row's serialNumber",
        _property("serialNumber"),
        BY_SERIAL_NUMBER,
        same_class=True,
        stored_as="serialNumber",
    ),
    IdentificationRule(
        "fqdn",
        "the CI of the row's class with the row's fqdn (compared lower-case)",
        _property("fqdn"),
        BY_FQDN,
        same_class=True,
        stored_as="fqdn",
    ),
    IdentificationRule(
        "hostname",
        "the CI of the row's class with the row's hostname (compared lower-case)",
        _property("hostname"),
        BY_HOSTNAME,
        same_class=True,
        stored_as="hostname",
    ),
)


def identity_keys(
    source: str, external_id: str | None, label: str, properties: Mapping[str, Any]
) -> tuple[IdentityKey, ...]:
    """The keys a row claims when it creates a CI: one per rule that has a key for the row
    and can match a new CI, in the rules' order."""
    keys: list[IdentityKey] = []
    for rule in IDENTIFICATION_RULES:
        value = rule.key(source, external_id, properties)
        if value is None or rule.stored_as is None:
            continue
        scope = label if rule.same_class else ""
        key = EXTERNAL_ID_SEPARATOR.join((rule.name, scope, value))
        keys.append(IdentityKey(rule.name, key, rule.stored_as, value))
    return tuple(keys)


Lookup = dict[str, dict[str, list[Candidate]]]
"""Per rule name, per key: the CIs found."""


async def look_up(
    db: Database,
    rules: Iterable[IdentificationRule],
    keys_for: Callable[[IdentificationRule, Lookup], Iterable[str]],
) -> Lookup:
    """Finds the CIs of the keys of each rule, in order, in one read transaction.
    `keys_for(rule, found so far)` names the keys to look up, so that a rule can skip the rows
    an earlier rule decided. One query per rule (with keys) and chunk of 10,000 keys; the
    scanning rule: one query whatever the number of keys."""

    async def work(tx: AsyncManagedTransaction) -> Lookup:
        found: Lookup = {}
        for rule in rules:
            rule_keys = sorted(set(keys_for(rule, found)))
            by_key: dict[str, list[Candidate]] = defaultdict(list)
            step = len(rule_keys) if rule.scans else LOOKUP_CHUNK
            for start in range(0, len(rule_keys), max(step, 1)):
                chunk = rule_keys[start : start + step]
                [row] = await db.query(tx, rule.lookup, keys=chunk)
                for key, ci_id, label, name in row["found"]:
                    by_key[key].append(Candidate(ci_id, label, name))
            found[rule.name] = dict(by_key)
        return found

    return await db.read("importCIs.identify", work)
