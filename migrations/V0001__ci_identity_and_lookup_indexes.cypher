// Every CI has a unique, server-generated id; the usual filters are index-backed.
CREATE CONSTRAINT ci_id_unique IF NOT EXISTS FOR (c:CI) REQUIRE c.id IS UNIQUE;
CREATE INDEX ci_name IF NOT EXISTS FOR (c:CI) ON (c.name);
CREATE INDEX ci_class IF NOT EXISTS FOR (c:CI) ON (c.class);
CREATE INDEX ci_status IF NOT EXISTS FOR (c:CI) ON (c.status);
CREATE INDEX ci_environment IF NOT EXISTS FOR (c:CI) ON (c.environment);
CREATE INDEX ci_name_id IF NOT EXISTS FOR (c:CI) ON (c.name, c.id);
