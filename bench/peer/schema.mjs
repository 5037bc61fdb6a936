// Type definitions of the benchmark peer, for the Neo4j GraphQL Library (@neo4j/graphql 7).
//
// The data is the product's, read as it is (nothing here writes: mutations are switched off):
// every CI is a node `:CI` plus one class label; dependency edges point from the dependent CI to
// the CI it depends on; an edge is current while `validTo` is null. See README.md for what each
// question means and where the peer answers differently from the product.

/** The relationship types that are dependencies (the product's `RelationType`). */
export const TYPES = "DEPENDS_ON|RUNS_ON|HOSTED_ON|CONNECTED_THROUGH|PROVIDED_BY";

/** The deepest traversal the peer unrolls; the product accepts `maxDepth` 1..50 as well. */
export const MAX_DEPTH = 50;

/** GraphQL block strings end at `"""`; keep statements free of it and of backslashes. */
function statement(text) {
    if (text.includes('"""') || text.includes("\\")) throw new Error("statement not embeddable");
    return text;
}

// Breadth-first search in one Cypher query, a level at a time. Cypher has no loop and takes no
// parameter as a variable-length bound, so the levels are unrolled (MAX_DEPTH of them, each
// gated by `$maxDepth`, an empty frontier making the rest no-ops). `NOT n IN seen` is planned
// with a cached hash set of `seen`, so each level costs its frontier's edges: the whole search
// visits each CI once, like the pruning BFS of a DISTINCT variable-length pattern, and in
// addition yields each CI's exact depth (the level that first reached it).
// `step(k)` is one level: frontier (list of nodes) -> next (the new nodes of level k).
function levelWise(step, maxDepth) {
    const levels = [];
    for (let k = 1; k <= maxDepth; k++) {
        levels.push(`CALL (frontier, seen) {
  UNWIND CASE WHEN $maxDepth >= ${k} THEN frontier ELSE [] END AS x
  ${step}
  RETURN collect(DISTINCT n) AS next
}
WITH next AS frontier, seen + next AS seen, levels + [next] AS levels`);
    }
    return levels.join("\n");
}

// Level k of `impact`: the CIs that depend on the frontier over a current edge, not retired,
// not seen before.
const UPSTREAM_STEP = `MATCH (x)<-[r:${TYPES}]-(n:CI)
  WHERE r.validTo IS NULL AND n.status <> 'RETIRED' AND NOT n IN seen`;

// Level k of `singlePointsOfFailure`: what the frontier needs over a *mandatory* current edge:
// one outside any redundancy group, or in a group without slack (minOperational unset, which
// means all members are needed, or at least the number of members).
const MANDATORY_STEP = `MATCH (x)-[r:${TYPES}]->(n:CI)
  WHERE r.validTo IS NULL AND n.status <> 'RETIRED' AND NOT n IN seen
    AND (r.redundancyGroup IS NULL
         OR x['minOperational.' + r.redundancyGroup] IS NULL
         OR x['minOperational.' + r.redundancyGroup] >= COUNT {
              MATCH (x)-[p:${TYPES}]->(m:CI)
              WHERE p.validTo IS NULL AND p.redundancyGroup = r.redundancyGroup
                AND m.status <> 'RETIRED'
              RETURN DISTINCT m
            })`;

// The reached CIs are sorted as [depth, name, id] triples after a collect, and only the page's
// CIs are read in full (by id). Sorting rows that still carry the `levels`/`seen` lists (e.g.
// ORDER BY depth, n.name right after the UNWIND) exceeds dbms.memory.transaction.total.max from
// about 5,000 reached CIs: the memory tracking counts the lists again for every buffered row.
export const IMPACT = statement(`MATCH (t:CI) WHERE t.id IN $ciIds AND t.status <> 'RETIRED'
WITH collect(t) AS frontier
WITH frontier, frontier AS seen, [] AS levels
${levelWise(UPSTREAM_STEP, MAX_DEPTH)}
WITH levels
UNWIND range(1, size(levels)) AS depth
UNWIND levels[depth - 1] AS n
WITH collect([depth, n.name, n.id]) AS rows
CALL (rows) {
  UNWIND rows AS row
  WITH row ORDER BY row[0], row[1], row[2]
  RETURN collect(row) AS sorted
}
CALL (sorted) {
  UNWIND sorted[0..coalesce($first, size(sorted))] AS row
  MATCH (n:CI {id: row[2]})
  RETURN collect({depth: row[0], ci: {id: n.id, name: n.name, class: n.class,
                  status: n.status, criticality: n.criticality}}) AS impacted
}
RETURN {count: size(rows), impacted: impacted} AS report`);

// Every service that transitively depends on a failed CI is DOWN, the others OPERATIONAL (no
// redundancy). Depth 50 like the product's; a DISTINCT variable-length pattern (pruning BFS).
export const SIMULATE_OUTAGE = statement(`MATCH (f:CI) WHERE f.id IN $ciIds AND f.status <> 'RETIRED'
WITH collect(f) AS failed
CALL (failed) {
  UNWIND failed AS f
  OPTIONAL MATCH (f)<-[rs:${TYPES}*1..${MAX_DEPTH}]-(n:CI)
  WHERE all(r IN rs WHERE r.validTo IS NULL AND startNode(r).status <> 'RETIRED')
  RETURN collect(DISTINCT n) AS reached
}
WITH failed + reached AS down
MATCH (s:CI) WHERE (s:BusinessService OR s:TechnicalService) AND s.status <> 'RETIRED'
WITH collect([CASE WHEN s IN down THEN 0 ELSE 1 END, coalesce(s.criticality, 5), s.name, s.id,
                s.class, s.status, s.criticality]) AS rows
UNWIND rows AS row
WITH row ORDER BY row[0], row[1], row[2], row[3]
RETURN {services: collect({state: CASE row[0] WHEN 0 THEN 'DOWN' ELSE 'OPERATIONAL' END,
                           service: {id: row[3], name: row[2], class: row[4],
                                     status: row[5], criticality: row[6]}})} AS outcome`);

// The CIs the service reaches over mandatory edges only (MANDATORY_STEP): each one's failure
// alone takes the service DOWN. Nearest first, then by name and id.
export const SINGLE_POINTS_OF_FAILURE = statement(`MATCH (t:CI {id: $serviceId}) WHERE t.status <> 'RETIRED'
WITH [t] AS frontier, [t] AS seen, [] AS levels
${levelWise(MANDATORY_STEP, MAX_DEPTH).replaceAll("$maxDepth", String(MAX_DEPTH))}
WITH levels
UNWIND range(1, size(levels)) AS depth
UNWIND levels[depth - 1] AS n
WITH collect([depth, n.name, n.id]) AS rows
UNWIND rows AS row
WITH row ORDER BY row[0], row[1], row[2]
MATCH (n:CI {id: row[2]})
RETURN n`);

// A CI's direct current neighbours, ordered like the product's (type, then name, then id).
const NEIGHBOURS = (pattern) =>
    statement(`MATCH ${pattern}
WHERE r.validTo IS NULL
WITH r, other ORDER BY type(r), other.name, other.id LIMIT $first
RETURN {type: type(r), ci: {id: other.id, name: other.name, class: other.class,
        status: other.status, criticality: other.criticality}} AS neighbour`);

export const typeDefs = /* GraphQL */ `
"A configuration item: the node :CI (read only here)."
type CI @node(labels: ["CI"]) @mutation(operations: []) {
  id: ID!
  name: String!
  "The class label, e.g. Database (the product spells it DATABASE)."
  class: String!
  status: String!
  environment: String
  criticality: Int
  owner: String
  supportGroup: String
  description: String
  hostname: String
  fqdn: String
  ipAddress: String
  serialNumber: String
  "Decimal as text."
  monthlyCost: String
  version: Int
  "Projected with APOC (apoc.date.convertFormat) by the library: fails without APOC."
  createdAt: DateTime
  "Projected with APOC (apoc.date.convertFormat) by the library: fails without APOC."
  updatedAt: DateTime
  "The CIs this CI depends on (current outgoing edges), by type, then name, then id."
  dependsOn(first: Int! = 20): [Neighbour!]!
    @cypher(statement: """${NEIGHBOURS(`(this)-[r:${TYPES}]->(other:CI)`)}""", columnName: "neighbour")
  "The CIs that depend on this CI (current incoming edges), by type, then name, then id."
  dependents(first: Int! = 20): [Neighbour!]!
    @cypher(statement: """${NEIGHBOURS(`(this)<-[r:${TYPES}]-(other:CI)`)}""", columnName: "neighbour")
}

"A CI as a traversal returns it (a map, not a node)."
type CIRef {
  id: ID!
  name: String!
  class: String!
  status: String!
  criticality: Int
}

type Neighbour {
  "The relationship type."
  type: String!
  "The CI at the other end."
  ci: CIRef!
}

type ImpactedCI {
  "Hops from the nearest changed CI (breadth-first, exact)."
  depth: Int!
  ci: CIRef!
}

type ImpactReport {
  "How many CIs are impacted."
  count: Int!
  "The impacted CIs, nearest first, then by name and id; the first \`first\` of them if given."
  impacted: [ImpactedCI!]!
}

type ServiceOutcome {
  "DOWN or OPERATIONAL (no redundancy: the peer has no DEGRADED)."
  state: String!
  service: CIRef!
}

type OutageSimulation {
  "Every business and technical service: DOWN first, then by criticality, name, id."
  services: [ServiceOutcome!]!
}

type Query {
  """
  Every CI that transitively depends on the given CIs within maxDepth (1..${MAX_DEPTH}) hops over
  current edges, each once with its shortest depth. Retired CIs are left out and not crossed.
  """
  impact(ciIds: [ID!]!, maxDepth: Int! = 10, first: Int): ImpactReport!
    @cypher(statement: """${IMPACT}""", columnName: "report")

  """
  Services when the given CIs fail, without redundancy: DOWN when they transitively depend on a
  failed CI (depth ${MAX_DEPTH}), else OPERATIONAL.
  """
  simulateOutage(ciIds: [ID!]!): OutageSimulation!
    @cypher(statement: """${SIMULATE_OUTAGE}""", columnName: "outcome")

  """
  CIs the service depends on through mandatory edges only (outside any redundancy group, or in
  a group without slack): a subset of the product's redundancy-aware answer.
  """
  singlePointsOfFailure(serviceId: ID!): [CI!]!
    @cypher(statement: """${SINGLE_POINTS_OF_FAILURE}""", columnName: "n")
}
`;
