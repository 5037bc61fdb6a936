"""The Cypher of incidents. One projection reads an incident with its transitions, affected
CIs, impacts, exclusions, parent and children in the query that finds it (COLLECT subqueries),
so a page of incidents is one round trip.

The computed impact is stored on the incident node itself, as aligned list properties
(`computedServiceIds`, `computedStates`, `computedReasons`; the position is the analysis's
rank) with `computedAt` and `computedBy`: one property write however many services the
analysis reaches (a shared database reaches thousands), read back with the node. The agents'
decisions stay relationships: `IMPACTS {source: 'MANUAL'}` and `EXCLUDES`, a few per incident."""

from __future__ import annotations

from typing import LiteralString

from graph._writes import lock

__all__ = [
    "ADD_MANUAL_IMPACT",
    "CHECK_CIS",
    "CLEAR_MANUAL_IMPACT",
    "CREATE_INCIDENTS",
    "EXCLUDE_SERVICE",
    "GET_BY_IDS",
    "GET_BY_NUMBER",
    "INCIDENT_PROJECTION",
    "LOCK_AND_READ",
    "LOCK_OPEN_CHILDREN",
    "READ_SERVICE",
    "SAVE",
]

# The services an incident `i` impacts as `impactedServices` lists them: computed (its list) and
# not excluded, or added by hand; once each (UNION). A subquery returning `serviceId`.
IMPACTED_SERVICE_IDS: LiteralString = """CALL (i) {
    UNWIND i.computedServiceIds AS serviceId
    WITH i, serviceId
    WHERE NOT EXISTS { (i)-[:EXCLUDES]->(:CI {id: serviceId}) }
    RETURN serviceId
  UNION
    MATCH (i)-[:IMPACTS {source: 'MANUAL'}]->(m:CI)
    RETURN m.id AS serviceId
}"""

INCIDENT_PROJECTION: LiteralString = """i {.*,
    affected: COLLECT { MATCH (i)-[:AFFECTS]->(c:CI) RETURN c.id ORDER BY c.id },
    transitionList: COLLECT { MATCH (i)-[:HAS_TRANSITION]->(t:Transition)
                              RETURN t {.*} ORDER BY t.seq },
    impactList: COLLECT { MATCH (i)-[r:IMPACTS]->(s:CI) RETURN r {.*, serviceId: s.id} },
    exclusionList: COLLECT { MATCH (i)-[r:EXCLUDES]->(s:CI) RETURN r {.*, serviceId: s.id} },
    parentId: COLLECT { MATCH (i)-[:CHILD_OF]->(p:Incident) RETURN p.id }[0],
    childIds: COLLECT { MATCH (c:Incident)-[:CHILD_OF]->(i) RETURN c.id ORDER BY c.number }
}"""

CHECK_CIS = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN c.id AS id, c.status AS status, c.class AS class
"""

# The incidents' numbers are chosen by `next_number` just before, in the same transaction;
# a retry after a rollback chooses them again, with fresh ids chosen before the transaction
# (nothing of a rolled-back attempt remains to clash with).
CREATE_INCIDENTS: LiteralString = (
    """
UNWIND $incidents AS row
CREATE (i:Incident:Record {id: row.id})
SET i += row.properties,
    i.openedAt = datetime(row.openedAt), i.updatedAt = datetime(row.updatedAt),
    i.respondedAt = datetime(row.respondedAt), i.resolvedAt = datetime(row.resolvedAt),
    i.closedAt = datetime(row.closedAt), i.slaBreachAt = datetime(row.slaBreachAt),
    i.computedServiceIds = row.computed.serviceIds, i.computedStates = row.computed.states,
    i.computedReasons = row.computed.reasons, i.computedAt = datetime(row.openedAt),
    i.computedBy = row.properties.createdBy, i.version = 1
WITH i, row
CALL (i, row) {
    UNWIND row.affected AS ciId
    MATCH (c:CI {id: ciId})
    CREATE (i)-[:AFFECTS]->(c)
}
CALL (i, row) {
    UNWIND row.transitions AS t
    CREATE (i)-[:HAS_TRANSITION]->(:Transition {seq: t.seq, from: t.from, to: t.to,
        at: datetime(t.at), actor: t.actor, note: t.note})
}
RETURN """
    + INCIDENT_PROJECTION
    + " AS incident"
)

LOCK_AND_READ: LiteralString = (
    """
MATCH (i:Incident {number: $number})
"""
    + lock("i")
    + """
RETURN """
    + INCIDENT_PROJECTION
    + " AS incident"
)

LOCK_OPEN_CHILDREN: LiteralString = (
    """
MATCH (i:Incident)-[:CHILD_OF]->(:Incident {id: $parentId})
WHERE i.state IN $open
"""
    + lock("i")
    + """
RETURN """
    + INCIDENT_PROJECTION
    + """ AS incident
ORDER BY i.number"""
)

GET_BY_NUMBER: LiteralString = (
    """
UNWIND $numbers AS number
MATCH (i:Incident {number: number})
RETURN """
    + INCIDENT_PROJECTION
    + " AS incident"
)

GET_BY_IDS: LiteralString = (
    """
UNWIND $ids AS id
MATCH (i:Incident {id: id})
RETURN """
    + INCIDENT_PROJECTION
    + " AS incident"
)

# Every change of an incident ends here: its properties, its version, the transitions it
# went through, and (when given) its affected CIs and its computed impact, replaced whole
# (the impact: three list properties set at once).
# Manual impacts and exclusions are not touched: the agent's decisions survive.
SAVE: LiteralString = (
    """
UNWIND $rows AS row
MATCH (i:Incident {id: row.id})
SET i += row.properties,
    i.respondedAt = datetime(row.respondedAt), i.resolvedAt = datetime(row.resolvedAt),
    i.closedAt = datetime(row.closedAt), i.slaBreachAt = datetime(row.slaBreachAt),
    i.updatedAt = datetime($now), i.updatedBy = $actor, i.version = i.version + 1
FOREACH (computed IN CASE WHEN row.computed IS NULL THEN [] ELSE [row.computed] END |
    SET i.computedServiceIds = computed.serviceIds, i.computedStates = computed.states,
        i.computedReasons = computed.reasons, i.computedAt = datetime($now),
        i.computedBy = $actor)
WITH i, row
CALL (i, row) {
    MATCH (i)-[old:AFFECTS]->()
    WHERE row.affected IS NOT NULL
    DELETE old
}
CALL (i, row) {
    UNWIND coalesce(row.affected, []) AS ciId
    MATCH (c:CI {id: ciId})
    CREATE (i)-[:AFFECTS]->(c)
}
CALL (i, row) {
    UNWIND row.transitions AS t
    CREATE (i)-[:HAS_TRANSITION]->(:Transition {seq: t.seq, from: t.from, to: t.to,
        at: datetime(t.at), actor: t.actor, note: t.note})
}
RETURN """
    + INCIDENT_PROJECTION
    + " AS incident"
)

READ_SERVICE = """
MATCH (s:CI {id: $serviceId})
RETURN s.class AS class, s.status AS status
"""

ADD_MANUAL_IMPACT = """
MATCH (i:Incident {id: $id}), (s:CI {id: $serviceId})
MERGE (i)-[r:IMPACTS {source: 'MANUAL'}]->(s)
SET r.state = $state, r.reason = $reason, r.at = datetime($now), r.by = $actor
"""

EXCLUDE_SERVICE = """
MATCH (i:Incident {id: $id}), (s:CI {id: $serviceId})
MERGE (i)-[r:EXCLUDES]->(s)
SET r.reason = $reason, r.at = datetime($now), r.by = $actor
"""

CLEAR_MANUAL_IMPACT = """
MATCH (i:Incident {id: $id})-[r:IMPACTS|EXCLUDES]->(s:CI {id: $serviceId})
WHERE r:EXCLUDES OR r.source = 'MANUAL'
DELETE r
RETURN count(r) AS cleared
"""
