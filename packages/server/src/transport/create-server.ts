/**
 * Builds the node server Reel listens with. main.ts and the tests' `startTestServer` both call
 * it, so the tests exercise the deadlines and the connection cap that production runs with.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { type ConnectionLimits, http1TimeoutOptions } from "./limits.js";

/** The app's request listener, e.g. Koa's `app.callback()` (HTTP/1.1 or the HTTP/2 compat API). */
export type RequestHandler = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => Promise<void> | void;

/**
 * An HTTP/1.1 server (RFC 9112) for `handler` with `limits` applied, not yet listening.
 * `maxConnections`: a connection past the cap is destroyed on accept, before a byte is read
 * (Node emits `drop`), so a flood costs a descriptor only for the moment of the accept.
 */
export function createReelServer(handler: RequestHandler, limits: ConnectionLimits): Server {
  const server = createServer(http1TimeoutOptions(limits), handler);
  server.maxConnections = limits.maxConnections;
  return server;
}
