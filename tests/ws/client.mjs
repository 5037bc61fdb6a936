// The real graphql-ws client (the npm package) against the live server, for
// tests/api/test_ws_client.py: subscribes to one operation and prints each result as one JSON
// line on standard output, then exits once it has printed `count` results.
//
//   node client.mjs ws://127.0.0.1:PORT/graphql '<subscription>' '<variables JSON>' COUNT
//
// A connection or protocol error prints {"error": ...} and exits with code 1. CMDB_WS_TOKEN,
// when set, is sent in connection_init as the bearer credentials.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, query, variables, count] = process.argv.slice(2);
const wanted = Number(count);
let received = 0;

const fail = (error) => {
  const reason = error instanceof Error ? error.message : error;
  const detail = reason && reason.code ? { code: reason.code, reason: reason.reason } : reason;
  process.stdout.write(JSON.stringify({ error: detail ?? String(error) }) + "\n");
  process.exit(1);
};

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  retryAttempts: 0,
  lazy: false,
  connectionParams: process.env.CMDB_WS_TOKEN
    ? { authorization: `Bearer ${process.env.CMDB_WS_TOKEN}` }
    : {},
  on: {
    connected: () => process.stdout.write(JSON.stringify({ connected: true }) + "\n"),
    error: fail,
  },
});

client.subscribe(
  { query, variables: JSON.parse(variables) },
  {
    next: (result) => {
      process.stdout.write(JSON.stringify(result) + "\n");
      received += 1;
      if (received >= wanted) {
        client.dispose().then(() => process.exit(0));
      }
    },
    error: fail,
    complete: () => {
      if (received < wanted) fail(`completed after ${received} of ${wanted} results`);
    },
  },
);
