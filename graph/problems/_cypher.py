"""The Cypher of the problem repository. Every time comes in as `$now`, from the product's
clock, never from the database's `datetime()`: tests move the clock."""

from __future__ import annotations

from typing import LiteralString

from graph._writes import lock

__all__ = [
    "CREATE_PROBLEM",
    "GET_PROBLEMS",
    "KNOWN_ERRORS",
    "LINK_INCIDENTS",
    "LOCK_INCIDENTS",
    "LOCK_PROBLEM",
    "PROBLEMS_OF_INCIDENTS",
    "PROBLEM_PROJECTION",
    "ROOT_CAUSE_EXISTS",
    "SUGGESTIONS",
    "TRANSITION_PROBLEM",
    "UNLINK_INCIDENT",
    "UPDATE_PROBLEM",
    "page_problems",
]

PROBLEM_PROJECTION: LiteralString = """p {.id, .number, .title, .description, .state,
    .workaround, .openedAt, .updatedAt, .resolvedAt, .closedAt, .createdBy, .updatedBy,
    .version,
    rootCauseCiId: head([(p)-[:ROOT_CAUSE]->(c:CI) | c.id]),
    incidentNumbers: [(p)-[:GROUPS]->(i:Incident) | i.number],
    transitions: [(p)-[:HAS_TRANSITION]->(t:Transition) | t {.*}]}"""

# The problem's write lock is taken before it is read: two writes of one problem serialise,
# and the second reads what the first committed (its version, state, incidents).
LOCK_PROBLEM: LiteralString = (
    "MATCH (p:Problem {number: $number})\n"
    + lock("p")
    + "\nRETURN "
    + PROBLEM_PROJECTION
    + " AS problem"
)

# Incidents are locked in the order given (sorted by the caller, so that two writers of the
# same incidents take their locks in the same order); who groups them is read after the lock,
# so that of two problems grouping one incident at once, the second sees the first's edge.
LOCK_INCIDENTS: LiteralString = (
    """
UNWIND $numbers AS number
OPTIONAL MATCH (i:Incident {number: number})
"""
    + lock("i")
    + """
RETURN number, i.id AS id, [(other:Problem)-[:GROUPS]->(i) | other.number] AS groupedBy
"""
)

ROOT_CAUSE_EXISTS = "OPTIONAL MATCH (c:CI {id: $id}) RETURN c IS NOT NULL AS found"

CREATE_PROBLEM: LiteralString = (
    """
CREATE (p:Problem:Record {id: $id, number: $number, title: $title,
    description: $description, workaround: $workaround, state: 'NEW', openedAt: $now,
    updatedAt: $now, createdBy: $actor, updatedBy: $actor, version: 1})
WITH p
CALL (p) {
    UNWIND $incidentNumbers AS incidentNumber
    MATCH (i:Incident {number: incidentNumber})
    CREATE (p)-[:GROUPS]->(i)
}
CALL (p) {
    MATCH (c:CI {id: $rootCauseCiId})
    CREATE (p)-[:ROOT_CAUSE]->(c)
}
RETURN """
    + PROBLEM_PROJECTION
    + " AS problem"
)

# `+=` with a null value removes the property: a patch clears a field with null.
UPDATE_PROBLEM: LiteralString = (
    """
MATCH (p:Problem {id: $id})
SET p += $changes, p.version = p.version + 1, p.updatedAt = $now, p.updatedBy = $actor
WITH p
CALL (p) {
    OPTIONAL MATCH (p)-[r:ROOT_CAUSE]->()
    WITH r WHERE $changeRootCause
    DELETE r
}
CALL (p) {
    MATCH (c:CI {id: $rootCauseCiId})
    WHERE $changeRootCause
    CREATE (p)-[:ROOT_CAUSE]->(c)
}
RETURN """
    + PROBLEM_PROJECTION
    + " AS problem"
)

TRANSITION_PROBLEM: LiteralString = (
    """
MATCH (p:Problem {id: $id})
SET p += $changes, p.version = p.version + 1, p.updatedAt = $now, p.updatedBy = $actor
CREATE (p)-[:HAS_TRANSITION]->(:Transition {seq: $seq, from: $from, to: $to, at: $now,
    actor: $actor, note: $note})
RETURN """
    + PROBLEM_PROJECTION
    + " AS problem"
)

LINK_INCIDENTS: LiteralString = (
    """
MATCH (p:Problem {id: $id})
SET p.version = p.version + 1, p.updatedAt = $now, p.updatedBy = $actor
WITH p
CALL (p) {
    UNWIND $incidentNumbers AS incidentNumber
    MATCH (i:Incident {number: incidentNumber})
    CREATE (p)-[:GROUPS]->(i)
}
RETURN """
    + PROBLEM_PROJECTION
    + " AS problem"
)

UNLINK_INCIDENT: LiteralString = (
    """
MATCH (p:Problem {id: $id})-[g:GROUPS]->(:Incident {number: $incidentNumber})
DELETE g
SET p.version = p.version + 1, p.updatedAt = $now, p.updatedBy = $actor
RETURN """
    + PROBLEM_PROJECTION
    + " AS problem"
)

GET_PROBLEMS: LiteralString = (
    """
UNWIND $numbers AS number
MATCH (p:Problem {number: number})
RETURN """
    + PROBLEM_PROJECTION
    + " AS problem"
)

PROBLEMS_OF_INCIDENTS: LiteralString = (
    """
UNWIND $ids AS incidentId
MATCH (:Record {id: incidentId})<-[:GROUPS]-(p:Problem)
RETURN incidentId, """
    + PROBLEM_PROJECTION
    + " AS problem"
)

_FILTER: LiteralString = """
WHERE ($states IS NULL OR p.state IN $states)
  AND ($rootCauseCiId IS NULL OR EXISTS { (p)-[:ROOT_CAUSE]->(:CI {id: $rootCauseCiId}) })
"""

# Keyset conditions and orderings, per (ordered by number, descending): allow-listed pieces.
_AFTER: dict[tuple[bool, bool], LiteralString] = {
    (False, True): """  AND ($afterAt IS NULL OR p.openedAt < datetime($afterAt)
       OR (p.openedAt = datetime($afterAt) AND p.number < $afterNumber))
""",
    (False, False): """  AND ($afterAt IS NULL OR p.openedAt > datetime($afterAt)
       OR (p.openedAt = datetime($afterAt) AND p.number > $afterNumber))
""",
    (True, True): "  AND ($afterNumber IS NULL OR p.number < $afterNumber)\n",
    (True, False): "  AND ($afterNumber IS NULL OR p.number > $afterNumber)\n",
}
_ORDER: dict[tuple[bool, bool], LiteralString] = {
    (False, True): "ORDER BY p.openedAt DESC, p.number DESC",
    (False, False): "ORDER BY p.openedAt ASC, p.number ASC",
    (True, True): "ORDER BY p.number DESC",
    (True, False): "ORDER BY p.number ASC",
}
_MATCH_ALL: LiteralString = "MATCH (p:Problem)"
_MATCH_SEARCHED: LiteralString = (
    "CALL db.index.fulltext.queryNodes('problem_fulltext', $search) YIELD node AS p"
)


def page_problems(searched: bool, by_number: bool, descending: bool) -> LiteralString:
    """One page of problems (as `problem`, with the opened time as text as `position`), the
    full-text matches of `$search` or all, keyset-paged after `$afterAt`/`$afterNumber`."""
    return (
        (_MATCH_SEARCHED if searched else _MATCH_ALL)
        + _FILTER
        + _AFTER[(by_number, descending)]
        + "RETURN "
        + PROBLEM_PROJECTION
        + " AS problem, toString(p.openedAt) AS position\n"
        + _ORDER[(by_number, descending)]
        + "\nLIMIT $limit\n"
    )


_COUNT_FILTER: LiteralString = """
WHERE ($states IS NULL OR p.state IN $states)
  AND ($rootCauseCiId IS NULL OR EXISTS { (p)-[:ROOT_CAUSE]->(:CI {id: $rootCauseCiId}) })
RETURN count(p) AS total
"""

COUNT_PROBLEMS: LiteralString = "MATCH (p:Problem)" + _COUNT_FILTER

COUNT_SEARCHED_PROBLEMS: LiteralString = (
    "CALL db.index.fulltext.queryNodes('problem_fulltext', $search) YIELD node AS p" + _COUNT_FILTER
)

COUNT_KNOWN_ERRORS: LiteralString = """
CALL db.index.fulltext.queryNodes('problem_fulltext', $search) YIELD node AS p
WHERE p.state = 'KNOWN_ERROR'
RETURN count(p) AS total
"""

# Best match first, keyset-paged by (score, number); a score is the same float for the same
# text and index, so a page continues where the last one ended.
KNOWN_ERRORS: LiteralString = (
    """
CALL db.index.fulltext.queryNodes('problem_fulltext', $search) YIELD node AS p, score
WHERE p.state = 'KNOWN_ERROR'
  AND ($afterScore IS NULL OR score < $afterScore
       OR (score = $afterScore AND p.number > $afterNumber))
RETURN """
    + PROBLEM_PROJECTION
    + """ AS problem, score
ORDER BY score DESC, p.number ASC
LIMIT $limit
"""
)

# Incidents opened in the window (by the incident_opened_at index), cancelled ones aside: an
# incident logged by mistake says nothing about a CI.
SUGGESTIONS: LiteralString = (
    """
MATCH (i:Incident)-[:AFFECTS]->(c:CI)
WHERE i.openedAt > $since AND i.openedAt <= $now AND i.state <> 'CANCELLED'
WITH c, collect(DISTINCT i.number) AS numbers
WHERE size(numbers) >= $minIncidents
ORDER BY size(numbers) DESC, c.id
LIMIT $limit
OPTIONAL CALL (c) {
    MATCH (p:Problem)-[:ROOT_CAUSE]->(c)
    WHERE p.state IN $openStates
    RETURN p
    ORDER BY p.openedAt DESC
    LIMIT 1
}
RETURN c.id AS ciId, numbers,
    CASE WHEN p IS NULL THEN null ELSE """
    + PROBLEM_PROJECTION
    + """ END AS problem
ORDER BY size(numbers) DESC, c.id
"""
)
