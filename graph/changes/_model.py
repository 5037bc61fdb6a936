"""Changes as the repository returns them: plain frozen values read from one projection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.domain import ChangeOutcome, ChangeState, ChangeType, State

__all__ = [
    "Approval",
    "Change",
    "ChangeImpact",
    "ChangePage",
    "ChangeTransition",
    "change_from_row",
]


@dataclass(frozen=True)
class ChangeTransition:
    """One recorded move of a change: who moved it from which state to which, when, why."""

    seq: int
    from_state: ChangeState | None
    to_state: ChangeState
    at: datetime
    actor: str
    note: str | None


@dataclass(frozen=True)
class ChangeImpact:
    """A service of the change's impact snapshot: its redundancy-aware state if the targets
    fail, and why; `rank` is the analysis's order (most critical first)."""

    service_id: str
    state: State
    reason: str
    rank: int = 0


@dataclass(frozen=True)
class Approval:
    """One CAB member's decision on a change in AUTHORIZE."""

    id: str
    approver: str
    decision: str
    """APPROVED or REJECTED."""
    comment: str | None
    at: datetime
    round: int = 1
    """Which stay in AUTHORIZE it was given in (a change sent back to ASSESS starts again)."""


@dataclass(frozen=True)
class Change:
    id: str
    number: str
    title: str
    description: str | None
    change_type: ChangeType
    state: ChangeState
    assignee: str | None
    assignment_group: str | None
    implementation_plan: str | None
    backout_plan: str | None
    test_plan: str | None
    planned_start: datetime | None
    planned_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    outcome: ChangeOutcome | None
    opened_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int
    assessed_at: datetime | None = None
    """When the impact snapshot was last taken (entering ASSESS, or `recomputeImpact`)."""
    authorised_at: datetime | None = None
    """When the CAB's approvals reached the number required (None for a standard change)."""
    target_ci_ids: tuple[str, ...] = ()
    impacted_ci_ids: tuple[str, ...] = ()
    """Every CI in the impact closure of the targets, targets included (empty until assessed)."""
    impacted: tuple[ChangeImpact, ...] = ()
    """The snapshot's business and technical services, most critical first."""
    approvals: tuple[Approval, ...] = ()
    transitions: tuple[ChangeTransition, ...] = ()

    @property
    def authorisation_round(self) -> int:
        """How many times the change entered AUTHORIZE: the approvals of the last stay count."""
        return sum(1 for t in self.transitions if t.to_state is ChangeState.AUTHORIZE)

    @property
    def current_approvals(self) -> tuple[Approval, ...]:
        """The approvals given since the change last entered AUTHORIZE."""
        current = self.authorisation_round
        return tuple(a for a in self.approvals if a.round == current)

    @property
    def authorised(self) -> bool:
        """A standard change is pre-authorised; another once the CAB authorised it."""
        return self.change_type is ChangeType.STANDARD or self.authorised_at is not None

    @property
    def impacted_service_ids(self) -> tuple[str, ...]:
        return tuple(i.service_id for i in self.impacted)


@dataclass(frozen=True)
class ChangePage:
    items: tuple[Change, ...]
    has_next: bool
    positions: tuple[tuple[str, str], ...] = ()
    """Each item's position (sort key text, number): what `page` takes as `after`."""


def _time(value: Any) -> datetime | None:
    return None if value is None else value.to_native()


def _transition(props: dict[str, Any]) -> ChangeTransition:
    return ChangeTransition(
        seq=int(props["seq"]),
        from_state=ChangeState(props["from"]) if props.get("from") else None,
        to_state=ChangeState(props["to"]),
        at=props["at"].to_native(),
        actor=props["actor"],
        note=props.get("note"),
    )


_STATES = {s.value: s for s in State}


def _impacts(p: dict[str, Any]) -> tuple[ChangeImpact, ...]:
    """The snapshot's services as the change node stores them: aligned lists in rank order."""
    return tuple(
        ChangeImpact(service_id, _STATES[state], reason, rank)
        for rank, (service_id, state, reason) in enumerate(
            zip(
                p.get("impactedServiceIds") or (),
                p.get("impactedStates") or (),
                p.get("impactedReasons") or (),
                strict=True,
            )
        )
    )


def _approval(props: dict[str, Any]) -> Approval:
    return Approval(
        id=props["id"],
        approver=props["approver"],
        decision=props["decision"],
        comment=props.get("comment"),
        at=props["at"].to_native(),
        round=int(props.get("round") or 1),
    )


def change_from_row(p: dict[str, Any]) -> Change:
    """The change of one row of `CHANGE_PROJECTION`."""
    return Change(
        id=p["id"],
        number=p["number"],
        title=p["title"],
        description=p.get("description"),
        change_type=ChangeType(p["type"]),
        state=ChangeState(p["state"]),
        assignee=p.get("assignee"),
        assignment_group=p.get("assignmentGroup"),
        implementation_plan=p.get("implementationPlan"),
        backout_plan=p.get("backoutPlan"),
        test_plan=p.get("testPlan"),
        planned_start=_time(p.get("plannedStart")),
        planned_end=_time(p.get("plannedEnd")),
        actual_start=_time(p.get("actualStart")),
        actual_end=_time(p.get("actualEnd")),
        outcome=ChangeOutcome(p["outcome"]) if p.get("outcome") else None,
        opened_at=p["openedAt"].to_native(),
        updated_at=p["updatedAt"].to_native(),
        created_by=p["createdBy"],
        updated_by=p["updatedBy"],
        version=int(p["version"]),
        assessed_at=_time(p.get("assessedAt")),
        authorised_at=_time(p.get("authorisedAt")),
        target_ci_ids=tuple(p.get("targets") or ()),
        impacted_ci_ids=tuple(p.get("impactedCiIds") or ()),
        impacted=_impacts(p),
        approvals=tuple(_approval(a) for a in p.get("approvalList") or ()),
        transitions=tuple(_transition(t) for t in p.get("transitionList") or ()),
    )
