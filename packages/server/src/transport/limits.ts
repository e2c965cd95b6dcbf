/**
 * The server's deadlines and connection cap against slow and idle clients, as Node's HTTP/1.1
 * server options. What each protects against, and nginx's counterpart, is the README's
 * "Connection limits" table.
 */
import type { ServerOptions } from "node:http";
import type { Config } from "../config.js";

/** The limits from the environment (`HEADERS_TIMEOUT_MS`, ... `MAX_CONNECTIONS`); all ms or counts. */
export type ConnectionLimits = Pick<
  Config,
  "headersTimeoutMs" | "requestTimeoutMs" | "keepAliveTimeoutMs" | "maxConnections"
>;

/** Node's HTTP/1.1 timeout options, the subset Reel sets. */
export type Http1TimeoutOptions = Required<
  Pick<
    ServerOptions,
    "headersTimeout" | "requestTimeout" | "keepAliveTimeout" | "connectionsCheckingInterval"
  >
>;

const MAX_CHECKING_INTERVAL_MS = 1000;
const MIN_CHECKING_INTERVAL_MS = 50;

/**
 * ms between Node's sweeps for connections past their headers or request deadline. Node does not
 * arm a timer per connection: one interval (default 30 s) closes what has expired, so a slow
 * client would otherwise keep its connection up to 30 s past `headersTimeout`. A quarter of the
 * shorter deadline, between 50 ms and 1 s, closes it within 25 % (at most 1 s) of its deadline;
 * each sweep walks only the connections that are mid-request, in C++.
 */
export function checkingIntervalFor(limits: ConnectionLimits): number {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return Math.min(
    MAX_CHECKING_INTERVAL_MS,
    Math.max(MIN_CHECKING_INTERVAL_MS, Math.floor(shortest / 4)),
  );
}

/**
 * The limits as `http.createServer` options (also set as properties on the HTTP/1.1 fallback of
 * the TLS server, whose constructor ignores them).
 * - `headersTimeout`: a request's headers must arrive within this many ms of its first byte (of
 *   the accept, for a connection's first request), else 408 and close (the slowloris defence).
 * - `requestTimeout`: the whole request, body included. It stops counting when the request has
 *   been received, so it never limits a response: a multi-GB download or the SSE stream runs on.
 * - `keepAliveTimeout`: ms an idle connection waits for its next request after a response.
 */
export function http1TimeoutOptions(limits: ConnectionLimits): Http1TimeoutOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: checkingIntervalFor(limits),
  };
}
