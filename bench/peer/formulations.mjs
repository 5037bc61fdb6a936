// Compares Cypher formulations of "impact with depth" on a loaded graph, as the peer's choice
// of IMPACT (schema.mjs) was made: rows reached, depth sum (a checksum of the depths), database
// hits (PROFILE) and the median of 5 warm runs.
//
//   NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... STARTS=id1,id2 node bench/peer/formulations.mjs
//
// Without STARTS: Microservice-10 and the most depended-on Database and NetworkDevice (the
// start CIs of bench/impact_profile.py, whose generated graph this was run on).
import neo4j from "neo4j-driver";

import { IMPACT, TYPES } from "./schema.mjs";

const driver = neo4j.driver(
    process.env.NEO4J_URI,
    neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", process.env.NEO4J_PASSWORD),
    { disableLosslessIntegers: true },
);
const database = process.env.NEO4J_DATABASE || "neo4j";

const FORMULATIONS = {
    "var-length DISTINCT (set only, no depth)": `
        MATCH (t:CI) WHERE t.id IN $ciIds
        MATCH (t)<-[rs:${TYPES}*1..10]-(n:CI) WHERE all(r IN rs WHERE r.validTo IS NULL)
        WITH DISTINCT n WHERE NOT n.id IN $ciIds
        RETURN count(n) AS reached, null AS depthSum`,
    "ANY SHORTEST, one source": `
        MATCH (t:CI) WHERE t.id IN $ciIds AND t.status <> 'RETIRED'
        MATCH p = ANY SHORTEST (t)(()<-[r:${TYPES} WHERE r.validTo IS NULL]-
                                   (:CI WHERE m.status <> 'RETIRED')){1,10}(n:CI)
        WHERE NOT n.id IN $ciIds
        WITH n, min(length(p)) AS depth
        RETURN count(n) AS reached, sum(depth) AS depthSum`,
    "var-length DISTINCT per depth bound, UNION ALL, min": `
        MATCH (t:CI) WHERE t.id IN $ciIds
        CALL (t) { ${Array.from(
            { length: 10 },
            (_, i) => `MATCH (t)<-[rs:${TYPES}*1..${i + 1}]-(n:CI)
                       WHERE all(r IN rs WHERE r.validTo IS NULL) RETURN DISTINCT n, ${i + 1} AS d`,
        ).join(" UNION ALL ")} }
        WITH n, min(d) AS depth WHERE NOT n.id IN $ciIds
        RETURN count(n) AS reached, sum(depth) AS depthSum`,
    "the peer's IMPACT (level-wise BFS, sorted, count + first 100)": `
        CALL { ${IMPACT} }
        RETURN report.count AS reached,
               null AS depthSum`,
    "the peer's level-wise BFS alone": IMPACT.slice(0, IMPACT.indexOf("WITH levels")) + `
        WITH levels UNWIND range(1, size(levels)) AS depth UNWIND levels[depth - 1] AS n
        RETURN count(n) AS reached, sum(depth) AS depthSum`,
};
// The ANY SHORTEST formulation names its inner node m; keep the text valid.
FORMULATIONS["ANY SHORTEST, one source"] = FORMULATIONS["ANY SHORTEST, one source"].replace(
    "(:CI WHERE m.status",
    "(m:CI WHERE m.status",
);

async function run(query, params) {
    const session = driver.session({ database });
    try {
        return await session.run(`CYPHER 5 ${query}`, params);
    } finally {
        await session.close();
    }
}

function hits(plan) {
    return (plan.dbHits || 0) + (plan.children || []).reduce((sum, c) => sum + hits(c), 0);
}

async function mostShared(label) {
    const result = await run(
        `MATCH (x:${label}) RETURN x.id AS id ORDER BY COUNT { (x)<--() } DESC LIMIT 1`,
    );
    return result.records[0].get("id");
}

const starts = process.env.STARTS
    ? process.env.STARTS.split(",")
    : ["Microservice-10", await mostShared("Database"), await mostShared("NetworkDevice")];
console.log("| start | formulation | CIs reached | depth sum | db hits | median warm ms |");
console.log("| --- | --- | ---: | ---: | ---: | ---: |");
for (const start of starts) {
    for (const [name, query] of Object.entries(FORMULATIONS)) {
        const params = { ciIds: [start], maxDepth: neo4j.int(10), first: neo4j.int(100) };
        const times = [];
        let row;
        for (let i = 0; i < 6; i++) {
            const started = performance.now();
            row = (await run(query, params)).records[0];
            times.push(performance.now() - started);
        }
        const warm = times.slice(1).sort((a, b) => a - b);
        const profile = await run(`PROFILE ${query}`, params);
        console.log(
            `| ${start} | ${name} | ${row.get("reached")} | ${row.get("depthSum") ?? ""} | ` +
                `${hits(profile.summary.profile)} | ${warm[2].toFixed(1)} |`,
        );
    }
}
await driver.close();
