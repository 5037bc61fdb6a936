// API tokens (docs/security.md): one ApiToken node per token, its id and the SHA-256 hash of its
// secret each unique, and its name unique, so that two creations of one name make one token.
CREATE CONSTRAINT api_token_id_unique IF NOT EXISTS
FOR (t:ApiToken) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT api_token_hash_unique IF NOT EXISTS
FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE;
CREATE CONSTRAINT api_token_name_unique IF NOT EXISTS
FOR (t:ApiToken) REQUIRE t.name IS UNIQUE;
