/**
 * Deadlines and upkeep for HTTP/2 connections (RFC 9113), the counterparts of what Node's
 * HTTP/1.1 server enforces itself.
 *
 * Deadlines. nghttp2 hands a stream over only once its whole header block has arrived, so a
 * client that trickles a HEADERS frame, or opens a connection and sends nothing, never shows up
 * as a request; and Node's own session timeout counts any byte as activity, so a trickle would
 * keep it alive forever. What can be seen is whether a connection has a request in flight:
 * - a new connection must open its first stream within `headersTimeoutMs` of its handshake;
 * - a connection without an open stream is closed `keepAliveTimeoutMs` after its last one ended.
 * Streams in flight, however long (a download, the SSE stream), are never cut.
 *
 * Recycling. Node 20 counts the response bytes still queued on a stream against the session's
 * `maxSessionMemory`, and never gives them back when the client resets that stream (as a
 * browser does on every seek): after ~160 aborted 64 KiB reads the session refuses every new
 * stream with ENHANCE_YOUR_CALM (reproduced with a bare `http2` server). So each session keeps a
 * ledger of what its aborted streams left queued (`bufferSize` at the abort, an upper bound), and
 * past `RECYCLE_AFTER_BYTES` it is closed gracefully: in-flight streams finish and the client
 * opens a new connection for its next request, as it does after nginx's `keepalive_requests`.
 *
 * Each ending is a GOAWAY (RFC 9113 §6.8) followed by the close of the connection.
 */
import type { Http2SecureServer, ServerHttp2Session } from "node:http2";
import type { ConnectionLimits } from "./limits.js";

/** Node's session memory cap (`maxSessionMemory`, in MB): live streams' queues fit it twice. */
export const MAX_SESSION_MEMORY_MB = 32;

/** Unreturned bytes (see above) after which a session is recycled: half of the cap. */
export const RECYCLE_AFTER_BYTES = (MAX_SESSION_MEMORY_MB / 2) * 1_000_000;

type SessionDeadlines = Pick<ConnectionLimits, "headersTimeoutMs" | "keepAliveTimeoutMs">;

/** Arms the deadlines and the ledger above on every HTTP/2 session `server` accepts. */
export function manageSessions(server: Http2SecureServer, limits: SessionDeadlines): void {
  server.on("session", (session: ServerHttp2Session) => {
    let open = 0;
    let unreturned = 0; // bytes Node still counts for streams the client reset
    const goAway = () => {
      if (!session.closed && !session.destroyed) {
        session.close(); // GOAWAY; the connection closes once the streams in flight are done
      }
    };
    const closeIfIdle = () => {
      if (open === 0) {
        goAway();
      }
    };
    // unref: a deadline alone must not keep the process alive at shutdown.
    let deadline = setTimeout(closeIfIdle, limits.headersTimeoutMs).unref();
    session.on("stream", (stream) => {
      open += 1;
      clearTimeout(deadline);
      stream.once("aborted", () => {
        unreturned += stream.bufferSize;
        if (unreturned >= RECYCLE_AFTER_BYTES) {
          goAway();
        }
      });
      stream.once("close", () => {
        open -= 1;
        if (open === 0) {
          deadline = setTimeout(closeIfIdle, limits.keepAliveTimeoutMs).unref();
        }
      });
    });
    session.once("close", () => clearTimeout(deadline));
  });
}
