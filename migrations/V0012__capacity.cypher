// Capacity: one Capacity node per CI and metric, one UtilisationReading per CI, metric and
// instant, each merged on its key so that concurrent writers of the same one write one node.
CREATE CONSTRAINT capacity_key_unique IF NOT EXISTS
FOR (c:Capacity) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT utilisation_reading_key_unique IF NOT EXISTS
FOR (r:UtilisationReading) REQUIRE r.key IS UNIQUE;
CREATE INDEX capacity_metric IF NOT EXISTS FOR (c:Capacity) ON (c.metric);
