// The GraphQL-over-HTTP audit of graphql-http (auditServer) against a running API.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql
// Prints one JSON object: {"ok": n, "warn": n, "error": n, "results": [...]}; exits 0.
// CMDB_AUDIT_TOKEN, when set, is sent as a bearer token on every request.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <url of the GraphQL endpoint>');
  process.exit(2);
}
const token = process.env.CMDB_AUDIT_TOKEN;

async function fetchWithToken(input, init = {}) {
  if (!token) return fetch(input, init);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url, fetchFn: fetchWithToken });
const counts = { ok: 0, warn: 0, error: 0 };
const shown = [];
for (const result of results) {
  counts[result.status] += 1;
  shown.push({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.status === 'ok' ? undefined : result.reason,
  });
}
console.log(JSON.stringify({ ...counts, results: shown }));
