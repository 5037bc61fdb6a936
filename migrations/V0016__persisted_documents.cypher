// Persisted GraphQL documents (docs/api.md, "Persisted documents"): one per sha256 hash of its
// text, so that parallel registrations of one document write one node.
CREATE CONSTRAINT persisted_document_hash_unique IF NOT EXISTS
FOR (d:PersistedDocument) REQUIRE d.hash IS UNIQUE;
