// The orderings and filters of `cis` beyond name, class, status and environment (V0001):
// range seeks and index-backed order on creation and update times, and on criticality.
CREATE INDEX ci_created_at IF NOT EXISTS FOR (c:CI) ON (c.createdAt);
CREATE INDEX ci_updated_at IF NOT EXISTS FOR (c:CI) ON (c.updatedAt);
CREATE INDEX ci_criticality IF NOT EXISTS FOR (c:CI) ON (c.criticality);
