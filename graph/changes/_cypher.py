"""The Cypher of changes. One projection reads a change with its targets, impact snapshot,
approvals and transitions in the query that finds it (COLLECT subqueries), so a page of changes
is one round trip.

The impact snapshot is stored on the change node itself: its services as aligned list
properties (`impactedServiceIds`, `impactedStates`, `impactedReasons`; the position is the
analysis's rank) and its closure as `impactedCiIds`. Taking a snapshot is one write of four
properties however far the impact reaches (a shared database reaches thousands of services and
tens of thousands of CIs)."""

from __future__ import annotations

from typing import LiteralString

from graph._writes import lock

__all__ = [
    "CHANGE_PROJECTION",
    "CHECK_CIS",
    "CREATE_CHANGE",
    "GET_BY_IDS",
    "GET_BY_NUMBER",
    "LOCK_AND_READ",
    "SAVE",
    "TIMES",
]

CHANGE_PROJECTION: LiteralString = """c {.*,
    targets: COLLECT { MATCH (c)-[:TARGETS]->(t:CI) RETURN t.id ORDER BY t.id },
    approvalList: COLLECT { MATCH (c)-[:HAS_APPROVAL]->(a:Approval) RETURN a {.*}
                            ORDER BY a.at, a.id },
    transitionList: COLLECT { MATCH (c)-[:HAS_TRANSITION]->(t:Transition)
                              RETURN t {.*} ORDER BY t.seq }
}"""

TIMES = (
    "plannedStart",
    "plannedEnd",
    "actualStart",
    "actualEnd",
    "assessedAt",
    "authorisedAt",
)
"""The datetime properties of a change: a save's `times` sets those it names (null clears)."""

CHECK_CIS = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN c.id AS id, c.status AS status
"""

# The number is chosen by `next_number` just before, in the same transaction; the id is chosen
# before the transaction (a retry after a rollback leaves nothing to clash with).
CREATE_CHANGE: LiteralString = (
    """
CREATE (c:Change:Record {id: $id})
SET c += $properties,
    c.plannedStart = datetime($plannedStart), c.plannedEnd = datetime($plannedEnd),
    c.openedAt = datetime($now), c.updatedAt = datetime($now), c.version = 1,
    c.impactedCiIds = [], c.impactedServiceIds = [], c.impactedStates = [], c.impactedReasons = []
WITH c
CALL (c) {
    UNWIND $targets AS ciId
    MATCH (t:CI {id: ciId})
    CREATE (c)-[:TARGETS]->(t)
}
RETURN """
    + CHANGE_PROJECTION
    + " AS change"
)

LOCK_AND_READ: LiteralString = (
    """
MATCH (c:Change {number: $number})
"""
    + lock("c")
    + """
RETURN """
    + CHANGE_PROJECTION
    + " AS change"
)

GET_BY_NUMBER: LiteralString = (
    """
UNWIND $numbers AS number
MATCH (c:Change {number: number})
RETURN """
    + CHANGE_PROJECTION
    + " AS change"
)

GET_BY_IDS: LiteralString = (
    """
UNWIND $ids AS id
MATCH (c:Change {id: id})
RETURN """
    + CHANGE_PROJECTION
    + " AS change"
)

# Every change of a change ends here: its properties and times, its version, the transitions
# it went through, and (when given) its targets and its impact snapshot, replaced whole.
SAVE: LiteralString = (
    """
MATCH (c:Change {id: $id})
SET c += $properties,
    c.plannedStart = CASE WHEN 'plannedStart' IN keys($times)
                     THEN datetime($times.plannedStart) ELSE c.plannedStart END,
    c.plannedEnd = CASE WHEN 'plannedEnd' IN keys($times)
                   THEN datetime($times.plannedEnd) ELSE c.plannedEnd END,
    c.actualStart = CASE WHEN 'actualStart' IN keys($times)
                    THEN datetime($times.actualStart) ELSE c.actualStart END,
    c.actualEnd = CASE WHEN 'actualEnd' IN keys($times)
                  THEN datetime($times.actualEnd) ELSE c.actualEnd END,
    c.assessedAt = CASE WHEN 'assessedAt' IN keys($times)
                   THEN datetime($times.assessedAt) ELSE c.assessedAt END,
    c.authorisedAt = CASE WHEN 'authorisedAt' IN keys($times)
                     THEN datetime($times.authorisedAt) ELSE c.authorisedAt END,
    c.impactedCiIds = coalesce($impactedCiIds, c.impactedCiIds),
    c.impactedServiceIds = coalesce($impacts.serviceIds, c.impactedServiceIds),
    c.impactedStates = coalesce($impacts.states, c.impactedStates),
    c.impactedReasons = coalesce($impacts.reasons, c.impactedReasons),
    c.updatedAt = datetime($now), c.updatedBy = $actor, c.version = c.version + 1
WITH c
CALL (c) {
    MATCH (c)-[old:TARGETS]->()
    WHERE $targets IS NOT NULL
    DELETE old
}
CALL (c) {
    UNWIND coalesce($targets, []) AS ciId
    MATCH (t:CI {id: ciId})
    CREATE (c)-[:TARGETS]->(t)
}
CALL (c) {
    UNWIND $transitions AS t
    CREATE (c)-[:HAS_TRANSITION]->(:Transition {seq: t.seq, from: t.from, to: t.to,
        at: datetime(t.at), actor: t.actor, note: t.note})
}
CALL (c) {
    UNWIND $approvals AS a
    CREATE (c)-[:HAS_APPROVAL]->(:Approval {id: a.id, approver: a.approver,
        decision: a.decision, comment: a.comment, at: datetime(a.at), round: a.round})
}
RETURN """
    + CHANGE_PROJECTION
    + " AS change"
)
