// The public GraphQL API, as any front end uses it: the documents in ui/graphql/ (one named
// operation each, fetched as they are), POSTed to /graphql with the signed-in token.

const TOKEN_KEY = "cmdb.token";
const documents = new Map();

/** An answer with errors: `errors` exactly as the API returned them. */
export class ApiError extends Error {
  constructor(errors, data = null) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
    this.data = data;
  }

  get unauthenticated() {
    return this.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signIn(secret) {
  sessionStorage.setItem(TOKEN_KEY, secret.trim());
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The text of the operation `name` (ui/graphql/<name>.graphql). */
export async function graphqlDocument(name) {
  if (!documents.has(name)) {
    const loading = fetch(new URL(`../graphql/${name}.graphql`, import.meta.url)).then((r) => {
      if (!r.ok) throw new Error(`the document ${name} is missing (${r.status})`);
      return r.text();
    });
    documents.set(name, loading);
  }
  return documents.get(name);
}

/** Runs the operation `name` with `variables`; its `data`, or an ApiError. */
export async function run(name, variables = {}, { headers = {} } = {}) {
  const query = await graphqlDocument(name);
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token() ? { authorization: `Bearer ${token()}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables, operationName: name }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError([{ message: `HTTP ${response.status} ${response.statusText}` }]);
  }
  if (body.errors?.length) throw new ApiError(body.errors, body.data ?? null);
  return body.data;
}

/** A mutation's payload, or an ApiError built from its `errors` (field, message, code). */
export async function mutate(name, variables, payloadField) {
  const data = await run(name, variables);
  const payload = data[payloadField];
  if (payload.errors?.length) {
    throw new ApiError(
      payload.errors.map((e) => ({ message: e.message, extensions: { code: e.code, field: e.field } })),
      data,
    );
  }
  return payload;
}
