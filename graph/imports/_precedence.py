"""Source precedence: which source's value wins, per CI attribute (docs/import.md).

A ranking names sources highest first, for every attribute or for one. A CI remembers, per
attribute, the source that last set it (`src.<attribute>`); an import may set an attribute when
no source is recorded for it (it was set through the API, or never) or when the import's
source ranks at least as high as the recorded one: a lower-ranked source never overwrites a
higher one's value, and between equals the latest import wins. Sources the ranking does not
name rank below every named one, and equal to each other.

A source that reports the value an attribute already has takes it over (its source becomes the
reporter) only when it ranks strictly higher than the recorded source, or than an unnamed one
when none is recorded: then a lower source cannot change the value later, and sources of equal
rank that agree never flip the provenance back and forth.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

__all__ = ["SourcePrecedence", "parse_precedence"]

SOURCE_PROPERTY_PREFIX = "src."


@dataclass(frozen=True)
class SourcePrecedence:
    default: tuple[str, ...] = ()
    """Sources highest first, for attributes without a ranking of their own."""
    per_attribute: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(attribute, sources highest first). The attribute is a stored property name
    (`owner`, `monthlyCost`, `attr.rto`, `minOperational.web-pool`) or a prefix ending in `*`
    (`attr.*`)."""

    @cached_property
    def _ranks(self) -> dict[str, dict[str, int]]:
        # "" holds the default ranking; ranks are computed once, imports ask per attribute.
        tables = {"": self.default, **dict(self.per_attribute)}
        return {
            attribute: {source: len(sources) - i for i, source in enumerate(sources)}
            for attribute, sources in tables.items()
        }

    def rank(self, source: str, attribute: str) -> int:
        """Higher is stronger; 0 for a source the applicable ranking does not name. The
        ranking of `attribute` is its own, else its prefix's (`attr.*`), else the default."""
        ranks = self._ranks
        table = ranks.get(attribute)
        if table is None:
            table = ranks.get(attribute.split(".", 1)[0] + ".*", ranks[""])
        return table.get(source, 0)

    def may_overwrite(self, source: str, recorded: str | None, attribute: str) -> bool:
        """Whether `source` may change `attribute`, last set by `recorded` (None: no source,
        which any source may overwrite)."""
        return recorded is None or self.rank(source, attribute) >= self.rank(recorded, attribute)

    def outranks(self, source: str, recorded: str | None, attribute: str) -> bool:
        """Whether `source` ranks strictly above `recorded`; no recorded source ranks like an
        unnamed one, so only a named source outranks it."""
        recorded_rank = self.rank(recorded, attribute) if recorded is not None else 0
        return self.rank(source, attribute) > recorded_rank

    def describe(self) -> str:
        """The ranking in the setting's own syntax (empty when every source is equal)."""
        parts = [",".join(self.default)] if self.default else []
        parts += [f"{attribute}={','.join(sources)}" for attribute, sources in self.per_attribute]
        return ";".join(parts)


def parse_precedence(text: str) -> SourcePrecedence:
    """Reads the setting `CMDB_IMPORT_PRECEDENCE`: entries separated by `;`, each either a
    comma-separated list of sources (the default ranking, highest first) or
    `attribute=source,source` (one attribute's ranking). Raises ValueError, naming the
    problem, on a malformed value."""
    default: tuple[str, ...] = ()
    per_attribute: dict[str, tuple[str, ...]] = {}
    for entry in (part.strip() for part in text.split(";")):
        if not entry:
            continue
        attribute, has_attribute, sources_text = entry.rpartition("=")
        sources = tuple(source.strip() for source in sources_text.split(","))
        if any(not source for source in sources):
            raise ValueError(f"empty source name in {entry!r}")
        if len(set(sources)) != len(sources):
            raise ValueError(f"a source is named twice in {entry!r}")
        if not has_attribute:
            if default:
                raise ValueError("more than one default ranking (entries without 'attribute=')")
            default = sources
            continue
        attribute = attribute.strip()
        if not attribute or attribute in per_attribute:
            raise ValueError(f"missing or repeated attribute name in {entry!r}")
        per_attribute[attribute] = sources
    return SourcePrecedence(default, tuple(sorted(per_attribute.items())))
