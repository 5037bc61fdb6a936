// The computed impact moves onto the record it belongs to (docs/concepts.md, "Incident
// management" and "Change enablement"): an incident's computed services and a change's
// snapshot services were one IMPACTS relationship each (thousands under a shared database,
// all written in the write that computed them); they become aligned list properties of the
// incident or change node, in rank order. Manual impacts (IMPACTS {source: 'MANUAL'}) and
// exclusions (EXCLUDES) stay relationships. Idempotent: a record converted before has no
// computed IMPACTS relationship left.

// Incidents: computedServiceIds / computedStates / computedReasons, computedAt / computedBy.
MATCH (i:Incident)-[r:IMPACTS {source: 'COMPUTED'}]->(s:CI)
WITH i, r, s ORDER BY r.rank, s.id
WITH i, collect(s.id) AS ids, collect(r.state) AS states,
     collect(coalesce(r.reason, '')) AS reasons, min(r.at) AS at, collect(r.by)[0] AS by
SET i.computedServiceIds = ids, i.computedStates = states, i.computedReasons = reasons,
    i.computedAt = at, i.computedBy = coalesce(by, i.createdBy);

MATCH (:Incident)-[r:IMPACTS {source: 'COMPUTED'}]->(:CI)
DELETE r;

// Changes: impactedServiceIds / impactedStates / impactedReasons beside impactedCiIds.
MATCH (c:Change)-[r:IMPACTS]->(s:CI)
WITH c, r, s ORDER BY r.rank, s.id
WITH c, collect(s.id) AS ids, collect(r.state) AS states,
     collect(coalesce(r.reason, '')) AS reasons
SET c.impactedServiceIds = ids, c.impactedStates = states, c.impactedReasons = reasons;

MATCH (:Change)-[r:IMPACTS]->(:CI)
DELETE r;

MATCH (c:Change)
WHERE c.impactedServiceIds IS NULL
SET c.impactedServiceIds = [], c.impactedStates = [], c.impactedReasons = [];
