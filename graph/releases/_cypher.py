"""The Cypher of releases. One projection reads a release with its changes, deployed CIs,
transitions and the union of its changes' impact snapshots in the query that finds it (COLLECT
subqueries), so a page of releases is one round trip. Times travel as driver datetimes, taken
from the product's clock."""

from __future__ import annotations

from typing import LiteralString

from graph._writes import lock

__all__ = [
    "CHECK_CIS",
    "CREATE_RELEASE",
    "GET_BY_NUMBER",
    "LOCK_CHANGES",
    "LOCK_RELEASE",
    "RELEASE_OF_CHANGES",
    "RELEASE_PROJECTION",
    "SAVE_RELEASE",
]

_CHANGE_FIELDS: LiteralString = """c {.id, .number, .title, .type, .state, .plannedStart,
    .plannedEnd,
    targets: COLLECT { MATCH (c)-[:TARGETS]->(t:CI) RETURN t.id ORDER BY t.id }"""
CHANGE_PROJECTION: LiteralString = _CHANGE_FIELDS + "}"

RELEASE_PROJECTION: LiteralString = (
    """r {.*,
    changeList: COLLECT { MATCH (r)-[:INCLUDES]->(c:Change)
                          RETURN """
    + CHANGE_PROJECTION
    + """ ORDER BY c.number },
    deployed: COLLECT { MATCH (r)-[:DEPLOYS]->(ci:CI) RETURN ci.id ORDER BY ci.id },
    transitionList: COLLECT { MATCH (r)-[:HAS_TRANSITION]->(t:Transition)
                              RETURN t {.*} ORDER BY t.seq },
    impactList: COLLECT { MATCH (r)-[:INCLUDES]->(c:Change)
                          UNWIND range(0, size(coalesce(c.impactedServiceIds, [])) - 1) AS n
                          MATCH (s:CI {id: c.impactedServiceIds[n]})
                          RETURN {serviceId: s.id, name: s.name, criticality: s.criticality,
                                  state: c.impactedStates[n], reason: c.impactedReasons[n],
                                  changeNumber: c.number} },
    impactedCiCount: COUNT { MATCH (r)-[:INCLUDES]->(c:Change)
                             UNWIND coalesce(c.impactedCiIds, []) AS ciId
                             RETURN DISTINCT ciId }
}"""
)

GET_BY_NUMBER: LiteralString = (
    """
UNWIND $numbers AS number
MATCH (r:Release {number: number})
RETURN """
    + RELEASE_PROJECTION
    + " AS release"
)

RELEASE_OF_CHANGES: LiteralString = (
    """
UNWIND $changeIds AS changeId
MATCH (r:Release)-[:INCLUDES]->(:Change {id: changeId})
RETURN changeId, """
    + RELEASE_PROJECTION
    + " AS release"
)

LOCK_RELEASE: LiteralString = (
    """
MATCH (r:Release {number: $number})
"""
    + lock("r")
    + """
RETURN """
    + RELEASE_PROJECTION
    + " AS release"
)

# Sorted numbers, so that two writers lock shared changes in one order (no deadlock); the
# release a change is in is read after its lock: a writer that just added it to another
# release has committed by then.
LOCK_CHANGES: LiteralString = (
    """
UNWIND $numbers AS number
MATCH (c:Change {number: number})
"""
    + lock("c")
    + """
RETURN """
    + _CHANGE_FIELDS
    + """,
    releaseNumber: COLLECT { MATCH (r:Release)-[:INCLUDES]->(c) RETURN r.number }[0],
    releaseName: COLLECT { MATCH (r:Release)-[:INCLUDES]->(c) RETURN r.name }[0]
} AS change"""
)

CHECK_CIS = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN c.id AS id, c.status AS status
"""

# What every write of a release ends with: its properties and revision, the changes added and
# removed, the deployed CIs (the ones named, or the union of the changes' targets), the
# transitions it went through; then the release as it is now.
_APPLY: LiteralString = (
    """
SET r += $properties, r.updatedAt = $now, r.updatedBy = $actor, r.revision = r.revision + 1
WITH r
CALL (r) {
    UNWIND $added AS changeId
    MATCH (c:Change {id: changeId})
    MERGE (r)-[:INCLUDES]->(c)
}
CALL (r) {
    UNWIND $removed AS changeId
    MATCH (r)-[included:INCLUDES]->(:Change {id: changeId})
    DELETE included
}
CALL (r) {
    MATCH (r)-[deploys:DEPLOYS]->()
    WHERE $syncDeployed
    DELETE deploys
}
CALL (r) {
    UNWIND CASE WHEN $syncDeployed AND r.deployedCisGiven THEN $deployed ELSE [] END AS ciId
    MATCH (ci:CI {id: ciId})
    CREATE (r)-[:DEPLOYS]->(ci)
}
CALL (r) {
    MATCH (r)-[:INCLUDES]->(:Change)-[:TARGETS]->(ci:CI)
    WHERE $syncDeployed AND NOT r.deployedCisGiven
    WITH DISTINCT r, ci
    CREATE (r)-[:DEPLOYS]->(ci)
}
CALL (r) {
    UNWIND $transitions AS t
    CREATE (r)-[:HAS_TRANSITION]->(:Transition {seq: t.seq, from: t.from, to: t.to, at: t.at,
        actor: t.actor, note: t.note})
}
RETURN """
    + RELEASE_PROJECTION
    + " AS release"
)

# The number is chosen by `next_number` just before, in the same transaction; the id before
# the transaction (a retry after a rollback finds nothing of the first attempt).
CREATE_RELEASE: LiteralString = (
    """
CREATE (r:Release:Record {id: $id})
SET r.createdAt = $now, r.createdBy = $actor, r.revision = 0
"""
    + _APPLY
)

SAVE_RELEASE: LiteralString = (
    """
MATCH (r:Release {id: $id})
"""
    + _APPLY
)
