// The in-process topology projections (graph/_topology*.py) compare this node's token with the
// one they were loaded at; every write that changes the dependency graph sets a new token.
// Unique, so that concurrent writers MERGE one node and serialise on its lock.
CREATE CONSTRAINT topology_version_name_unique IF NOT EXISTS
FOR (v:TopologyVersion) REQUIRE v.name IS UNIQUE;
