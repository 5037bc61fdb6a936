// The identifiers that import's identification rules look CIs up by (docs/import.md, "Identification").
CREATE INDEX ci_serial_number IF NOT EXISTS FOR (c:CI) ON (c.serialNumber);
CREATE INDEX ci_hostname IF NOT EXISTS FOR (c:CI) ON (c.hostname);
CREATE INDEX ci_fqdn IF NOT EXISTS FOR (c:CI) ON (c.fqdn);
CREATE INDEX ci_external_ids IF NOT EXISTS FOR (c:CI) ON (c.externalIds);
