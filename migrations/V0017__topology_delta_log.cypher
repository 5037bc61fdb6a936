// The topology delta log (docs/impact.md, "Keeping it in step"): every write that changes CIs
// or dependency edges records what it changed as one TopologyDelta, numbered in commit order.
// Unique, so that no two writers record the same number and a process reads each delta once;
// the constraint's index serves "the deltas after number n" and the pruning of the oldest.
CREATE CONSTRAINT topology_delta_seq_unique IF NOT EXISTS
FOR (d:TopologyDelta) REQUIRE d.seq IS UNIQUE;
