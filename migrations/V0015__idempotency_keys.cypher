// Idempotency keys of HTTP requests (docs/api.md, "Idempotent mutations"): one per principal
// and key, so that two requests with the same key, even at the same time, run once.
CREATE CONSTRAINT idempotency_key_scope_unique IF NOT EXISTS
FOR (k:IdempotencyKey) REQUIRE k.scope IS UNIQUE;
// Expired keys are purged by the requests that come after them.
CREATE INDEX idempotency_key_expires_at IF NOT EXISTS FOR (k:IdempotencyKey) ON (k.expiresAt);
