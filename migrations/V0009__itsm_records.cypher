// ITSM records (incidents, problems; later changes and releases) carry the label Record besides
// their own, so that one index finds any record by id: the audit trail hangs events off records
// as it does off CIs.
CREATE CONSTRAINT record_id_unique IF NOT EXISTS FOR (r:Record) REQUIRE r.id IS UNIQUE;
// An incident imported from the tool being replaced is known by its source and external id:
// unique, so that two imports of the same history at once create it once.
CREATE CONSTRAINT incident_import_key_unique IF NOT EXISTS
FOR (i:Incident) REQUIRE i.importKey IS UNIQUE;
// What the service desk's lists filter and order by.
CREATE INDEX incident_state IF NOT EXISTS FOR (i:Incident) ON (i.state);
CREATE INDEX incident_opened_at IF NOT EXISTS FOR (i:Incident) ON (i.openedAt);
CREATE INDEX incident_priority IF NOT EXISTS FOR (i:Incident) ON (i.priorityRank);
CREATE INDEX incident_breach_at IF NOT EXISTS FOR (i:Incident) ON (i.slaBreachAt);
CREATE INDEX incident_assignment_group IF NOT EXISTS FOR (i:Incident) ON (i.assignmentGroup);
CREATE INDEX problem_state IF NOT EXISTS FOR (p:Problem) ON (p.state);
// The known error database: full-text search over problems' title, description and workaround.
CREATE FULLTEXT INDEX problem_fulltext IF NOT EXISTS
FOR (p:Problem) ON EACH [p.title, p.description, p.workaround];
