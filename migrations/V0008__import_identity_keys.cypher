// The identity keys of CIs created by an import (docs/import.md, "Imports at the same time"):
// one node per identifying key (a source's id of the CI, or its class with its serial number,
// FQDN or host name), naming the CI that holds it. Unique, so that two imports creating the
// same CI at the same time MERGE one key: the second waits for the first, then finds its CI.
CREATE CONSTRAINT identity_key_unique IF NOT EXISTS
FOR (k:IdentityKey) REQUIRE k.key IS UNIQUE;
