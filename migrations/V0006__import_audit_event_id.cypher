// History events are written with MERGE on their id (idempotent on retry); an import writes
// one per changed CI and relationship, so the lookup must be index-backed, not a label scan.
CREATE CONSTRAINT audit_event_id_unique IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.id IS UNIQUE;
