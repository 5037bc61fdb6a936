"""Where a projection stands in the topology delta log, and what one check of the log says
(`_load.py` asks; graph/_topology_version.py writes the log)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.impact.topology._arrays import Topology
from graph.impact.topology._delta import TopologyDelta, delta_from_row

__all__ = ["LEAST_WORTH_RELOADING", "Check", "Position", "following", "most_worth", "settled"]


LEAST_WORTH_RELOADING = 10_000
"""Below this many CIs and edges to apply (or a quarter of the topology's, when more), deltas
are applied rather than the topology reloaded whole."""


@dataclass(frozen=True)
class Position:
    """Where a topology stands in the delta log."""

    epoch: str | None
    seq: int
    counts: tuple[int, ...] | None
    """The graph's counts at `seq`; None when not known (a write committed while they were
    read): the next check takes the graph's."""


@dataclass(frozen=True)
class Check:
    """One answer of the per-question check."""

    epoch: str | None
    head: int
    pending: int
    weight: int
    deltas: tuple[TopologyDelta, ...]
    counts: tuple[int, ...]
    head_after: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> Check:
        return cls(
            row["epoch"],
            int(row["head"]),
            int(row["pendingCount"]),
            int(row["weight"]),
            tuple(delta_from_row(d) for d in row["deltas"]),
            tuple(int(n) for n in row["counts"]),
            int(row["headAfter"]),
        )

    def position(self) -> Position:
        return Position(
            self.epoch, self.head, self.counts if self.head_after == self.head else None
        )


def most_worth(topology: Topology) -> int:
    """The most CIs and edges worth applying as deltas instead of loading whole."""
    return max(LEAST_WORTH_RELOADING, (topology.size + len(topology.edge_source)) // 4)


def settled(check: Check, at: Position) -> bool:
    """Whether a topology at `at` is current: nothing to apply, counts as expected."""
    if check.epoch != at.epoch or check.head != at.seq or check.pending:
        return False
    return check.head_after != check.head or at.counts == check.counts


def following(check: Check, seq: int) -> tuple[TopologyDelta, ...] | None:
    """The deltas of `check` that follow `seq` without a gap, oldest first; None when the log
    lost some of them (the process is further behind than it keeps: load whole).

    The newest ones may be missing although the head names them: Neo4j reads committed
    data without a snapshot, and a check can see the version node of a write whose commit
    is still being applied before it finds that write's delta. Only the newest can be so (a
    writer takes the version lock once the commit before it applied), and none of them is
    of an acknowledged write (acknowledged once applied), so no question waits for them: the
    run stops before them, and a later check brings them."""
    pending = [d for d in check.deltas if d.seq > seq]
    if pending and pending[0].seq != seq + 1:
        return None
    run: list[TopologyDelta] = []
    for delta in pending:
        if delta.seq != seq + 1 + len(run):
            break
        run.append(delta)
    return tuple(run)
