// Two entries that every import kept up to date and no query reads (docs/import.md, "Cost"):
// - history events are found from their CI or record (HAS_EVENT), never by id; their ids are
//   random UUIDs the server creates, written with CREATE (V0006 served a MERGE since gone), so
//   the uniqueness constraint checked, at every commit, hundreds of thousands of ids per import;
// - `externalIds` is a list: a range index stores each list as one value, which no membership
//   test (`key IN c.externalIds`, how identification and the stale report read it) can seek.
DROP CONSTRAINT audit_event_id_unique IF EXISTS;
DROP INDEX ci_external_ids IF EXISTS;
