/**
 * Builds the node server Reel listens with. main.ts and the tests' `startTestServer` both call
 * it, so the tests exercise the protocols, deadlines and connection cap that production runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from "node:http2";
import type { Config, TlsCredentials } from "../config.js";
import { type ConnectionTracker, trackConnections } from "./connection-tracker.js";
import { Http2Response } from "./http2-response.js";
import { MAX_SESSION_MEMORY_MB, manageSessions } from "./http2-sessions.js";
import { type ConnectionLimits, http1TimeoutOptions } from "./limits.js";

/** The app's request listener, e.g. Koa's `app.callback()` (HTTP/1.1 or the HTTP/2 compat API). */
export type RequestHandler = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => Promise<void> | void;

/** What the server is built from: the connection limits, HTTP/2's stream cap and TLS. */
export type ServerSettings = ConnectionLimits & Pick<Config, "maxConcurrentStreams" | "tls">;

/** A server, not yet listening, with its connection bookkeeping. */
export interface ReelServer<S extends Server | Http2SecureServer = Server | Http2SecureServer>
  extends ConnectionTracker {
  /** `http.Server` without TLS; with TLS an `Http2SecureServer` that also speaks HTTP/1.1. */
  server: S;
  /** The URL scheme clients use. */
  scheme: "http" | "https";
}

/**
 * Without `tls`: an HTTP/1.1 server (RFC 9112). With `tls`: HTTPS where ALPN (RFC 7301) picks
 * HTTP/2 (RFC 9113) or HTTP/1.1 per connection on the same port, so browsers multiplex every
 * request to Reel over one connection and other clients keep working.
 *
 * Limits, both protocols: `maxConnections` (a connection past the cap is destroyed on accept,
 * before a byte is read) and, over HTTP/1.1, the headers, request and keep-alive deadlines
 * (transport/limits.ts). With TLS the handshake must finish within `headersTimeoutMs`, and HTTP/2
 * connections get the deadlines and recycling of transport/http2-sessions.ts, `maxConcurrentStreams`
 * (SETTINGS_MAX_CONCURRENT_STREAMS, RFC 9113 §6.5.2: a stream past it is refused).
 */
export function createReelServer(
  handler: RequestHandler,
  settings: ServerSettings & { tls: undefined },
): ReelServer<Server>;
export function createReelServer(
  handler: RequestHandler,
  settings: ServerSettings & { tls: TlsCredentials },
): ReelServer<Http2SecureServer>;
export function createReelServer(handler: RequestHandler, settings: ServerSettings): ReelServer;
export function createReelServer(handler: RequestHandler, settings: ServerSettings): ReelServer {
  if (settings.tls === undefined) {
    const server = createServer(http1TimeoutOptions(settings), handler);
    server.maxConnections = settings.maxConnections;
    return { server, scheme: "http", ...trackConnections(server, false) };
  }
  const server = createSecureServer(
    {
      cert: settings.tls.cert,
      key: settings.tls.key,
      allowHTTP1: true,
      Http2ServerResponse: Http2Response,
      // The TLS handshake is the first thing a slow client can drag out (Node's default: 120 s).
      handshakeTimeout: settings.headersTimeoutMs,
      settings: { maxConcurrentStreams: settings.maxConcurrentStreams },
      maxSessionMemory: MAX_SESSION_MEMORY_MB,
    },
    handler,
  );
  // This constructor ignores the HTTP/1.1 options and leaves `keepAliveTimeout` unset (no idle
  // deadline at all for its HTTP/1.1 connections). Node reads them from the server per
  // connection, and the sweep interval at listen, so set them as properties.
  Object.assign(server, http1TimeoutOptions(settings));
  server.maxConnections = settings.maxConnections;
  manageSessions(server, settings);
  return { server, scheme: "https", ...trackConnections(server, true) };
}
