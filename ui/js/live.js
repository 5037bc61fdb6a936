// Live updates: the subscriptions of ui/graphql/ over one WebSocket to /graphql (protocol
// graphql-transport-ws), with the graphql-ws client (the product's own copy, /static/graphql-ws/).
// The token travels in connection_init as {authorization: "Bearer <token>"}, as the API expects.
// After a drop the client reconnects (backoff up to 30 s) and subscribes again; a page is told
// (`onReconnect`) so that it reads again what it may have missed. The router ends a page's
// subscriptions when it leaves the page (`endPageSubscriptions`).
import { createClient } from "/static/graphql-ws/client.js";
import { ApiError, graphqlDocument, token } from "./api.js";

const FORBIDDEN = 4403; // the API refused the credentials of connection_init: no retry
const MAX_WAIT_MS = 30_000;

let client = null;
let clientToken = null;
let status = "offline";
const statusListeners = new Set();
const reconnectListeners = new Set();
const pageSubscriptions = new Set();

function setStatus(next) {
  status = next;
  for (const listener of statusListeners) listener(next);
}

function isCloseEvent(value) {
  return value !== null && typeof value === "object" && "code" in value && "reason" in value;
}

function connection() {
  if (client && clientToken === token()) return client;
  client?.dispose();
  clientToken = token();
  const url = new URL("/graphql", location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  client = createClient({
    url: url.href,
    connectionParams: () => ({ authorization: `Bearer ${token()}` }),
    lazy: true, // opens with the first subscription, closes after the last
    retryAttempts: Infinity,
    shouldRetry: (error) => isCloseEvent(error) && error.code !== FORBIDDEN,
    retryWait: async (retries) => {
      const wait = Math.min(MAX_WAIT_MS, 500 * 2 ** retries) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
    on: {
      connecting: () => status !== "reconnecting" && setStatus("connecting"),
      connected: (_socket, _payload, wasRetry) => {
        setStatus("live");
        if (wasRetry) for (const listener of reconnectListeners) listener();
      },
      closed: () => setStatus(pageSubscriptions.size ? "reconnecting" : "offline"),
    },
  });
  return client;
}

/** The API's error for what a subscription's sink received (GraphQL errors or a close). */
function asApiError(error) {
  if (Array.isArray(error)) return new ApiError(error);
  if (isCloseEvent(error)) {
    const code = error.code === FORBIDDEN ? "UNAUTHENTICATED" : `WEBSOCKET_${error.code}`;
    const message = `live updates stopped: ${error.reason || "the connection closed"}`;
    return new ApiError([{ message, extensions: { code } }]);
  }
  return new ApiError([{ message: String(error?.message ?? error) }]);
}

/**
 * Runs the subscription `name` (ui/graphql/<name>.graphql) with `variables` until the page is
 * left or the returned function is called: `onData(data)` for each message, `onError(error)`
 * (an ApiError) when it ends with an error, `onReconnect()` after a dropped connection came back
 * (messages may have been missed: read the state again). EVENTS_LOST (the page read too slowly)
 * counts as a reconnection: the page reads again and the subscription starts anew.
 */
export function subscribe(name, variables, { onData, onError = () => {}, onReconnect = () => {} }) {
  let dispose = null;
  let stopped = false;
  const start = async () => {
    const query = await graphqlDocument(name);
    if (stopped) return;
    dispose = connection().subscribe(
      { query, variables, operationName: name },
      {
        next: (result) => {
          if (result.errors?.length) onError(new ApiError(result.errors, result.data ?? null));
          else onData(result.data);
        },
        error: (error) => {
          const apiError = asApiError(error);
          if (!stopped && apiError.errors.some((e) => e.extensions?.code === "EVENTS_LOST")) {
            onReconnect();
            start();
            return;
          }
          if (!stopped) onError(apiError);
        },
        complete: () => {},
      },
    );
  };
  const subscription = {
    stop() {
      stopped = true;
      dispose?.();
      reconnectListeners.delete(onReconnect);
      pageSubscriptions.delete(subscription);
    },
  };
  reconnectListeners.add(onReconnect);
  pageSubscriptions.add(subscription);
  start().catch((error) => onError(asApiError(error)));
  return () => subscription.stop();
}

/** Ends every subscription of the page being left (the router calls it on each route). */
export function endPageSubscriptions() {
  for (const subscription of [...pageSubscriptions]) subscription.stop();
}

/** Closes the connection (signing out): the next subscription connects with the new token. */
export function disconnect() {
  endPageSubscriptions();
  client?.dispose();
  client = null;
  clientToken = null;
  setStatus("offline");
}

/** A badge that shows whether the live updates flow: live, connecting, reconnecting, offline. */
export function liveBadge() {
  const badge = document.createElement("span");
  badge.className = "live-status";
  badge.setAttribute("aria-live", "polite");
  const show = (value) => {
    if (!badge.isConnected && badge.dataset.shown) {
      statusListeners.delete(show);
      return;
    }
    badge.dataset.shown = "yes";
    badge.dataset.status = value;
    badge.textContent = value === "live" ? "● live" : `○ ${value}`;
  };
  statusListeners.add(show);
  show(status);
  return badge;
}
