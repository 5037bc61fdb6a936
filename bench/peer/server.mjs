// The benchmark peer: the CMDB's benchmark questions served by the Neo4j GraphQL Library
// (@neo4j/graphql) on Apollo Server (standalone), over the product's Neo4j and data.
//
//   NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=... node bench/peer/server.mjs
//
// Environment: NEO4J_URI (required), NEO4J_USER (default neo4j), NEO4J_PASSWORD (required),
// NEO4J_DATABASE (default neo4j), PEER_HOST (default 127.0.0.1), PEER_PORT (default 4000),
// PEER_WORKERS (default 1: this process serves; N > 1: N forked workers share the port).
// Prints `PEER READY http://HOST:PORT/graphql` on stdout once every worker listens.

import cluster from "node:cluster";
import process from "node:process";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

import { typeDefs } from "./schema.mjs";

function settings() {
    const env = process.env;
    const missing = ["NEO4J_URI", "NEO4J_PASSWORD"].filter((k) => !env[k]);
    if (missing.length) throw new Error(`peer: set ${missing.join(" and ")}`);
    const port = Number.parseInt(env.PEER_PORT ?? "4000", 10);
    const workers = Number.parseInt(env.PEER_WORKERS ?? "1", 10);
    if (!(port > 0 && port < 65536)) throw new Error(`peer: bad PEER_PORT ${env.PEER_PORT}`);
    if (!(workers >= 1)) throw new Error(`peer: bad PEER_WORKERS ${env.PEER_WORKERS}`);
    return {
        uri: env.NEO4J_URI,
        user: env.NEO4J_USER || "neo4j",
        password: env.NEO4J_PASSWORD,
        database: env.NEO4J_DATABASE || "neo4j",
        host: env.PEER_HOST || "127.0.0.1",
        port,
        workers,
    };
}

/** Starts one Apollo Server on HOST:PORT (shared with the other workers under node:cluster). */
async function serve(config) {
    const driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password));
    // No checkNeo4jCompat(): it would look for APOC, which the embedded Neo4j does not load.
    const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
    const server = new ApolloServer({ schema, includeStacktraceInErrorResponses: false });
    const sessionConfig = { database: config.database };
    const { url } = await startStandaloneServer(server, {
        listen: { host: config.host, port: config.port },
        context: async ({ req }) => ({ req, sessionConfig }),
    });
    const stop = async () => {
        await server.stop();
        await driver.close();
        process.exit(0);
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    return url;
}

function readyLine(config) {
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    return `PEER READY http://${host}:${config.port}/graphql`;
}

async function main() {
    const config = settings();
    if (cluster.isPrimary && config.workers === 1) {
        await serve(config);
        console.log(readyLine(config));
        return;
    }
    if (cluster.isWorker) {
        await serve(config);
        process.send({ peerListening: true });
        return;
    }
    // Primary of N workers: forks them, announces readiness once all listen, and stops them all
    // when told to stop or when one dies (a benchmark must not go on with fewer processes).
    let listening = 0;
    let alive = 0;
    let exitCode = null;
    const stopAll = (code) => {
        if (exitCode !== null) return;
        exitCode = code;
        if (alive === 0) process.exit(code);
        for (const worker of Object.values(cluster.workers)) worker.process.kill("SIGTERM");
        setTimeout(() => {
            for (const worker of Object.values(cluster.workers)) worker.process.kill("SIGKILL");
            process.exit(code);
        }, 10_000);
    };
    cluster.on("fork", () => alive++);
    cluster.on("message", (_worker, message) => {
        if (message?.peerListening && ++listening === config.workers) {
            console.log(readyLine(config));
        }
    });
    cluster.on("exit", (worker, code, signal) => {
        alive--;
        if (exitCode === null) {
            console.error(`peer: worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
            stopAll(1);
        }
        if (alive === 0) process.exit(exitCode);
    });
    process.once("SIGTERM", () => stopAll(0));
    process.once("SIGINT", () => stopAll(0));
    for (let i = 0; i < config.workers; i++) cluster.fork();
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
