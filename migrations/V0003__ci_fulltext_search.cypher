// Full-text search over CI names and descriptions.
CREATE FULLTEXT INDEX ci_fulltext IF NOT EXISTS FOR (c:CI) ON EACH [c.name, c.description];
