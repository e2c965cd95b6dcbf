// Records what each HTTP/2 session (one TLS connection) of a server carried, so a test can tell
// a connection that served requests from one a browser opened and never used, and tell
// Chromium's connection pools apart by the Fetch Metadata each request sent (Sec-Fetch-Mode).
import type { Http2SecureServer, Http2Session, IncomingHttpHeaders } from "node:http2";

/** One HTTP/2 session: how many streams it carried, and their `sec-fetch-mode` → `-dest`. */
export interface SessionRecord {
  id: number;
  streams: number;
  /** e.g. `cors/empty` (fetch, EventSource), `no-cors/video` (a `<video src>` without CORS). */
  kinds: Set<string>;
}

/** Starts recording `server`'s sessions; `sessions()` returns them in the order they opened. */
export function recordSessions(server: Http2SecureServer): { sessions(): SessionRecord[] } {
  const records = new Map<Http2Session, SessionRecord>();
  server.on("session", (session: Http2Session) => {
    records.set(session, { id: records.size + 1, streams: 0, kinds: new Set() });
  });
  server.on("stream", (stream, headers: IncomingHttpHeaders) => {
    // `session` is undefined only once the stream is destroyed, never in its own `stream` event.
    const record = stream.session && records.get(stream.session);
    if (record) {
      record.streams += 1;
      record.kinds.add(`${headers["sec-fetch-mode"] ?? "?"}/${headers["sec-fetch-dest"] ?? "?"}`);
    }
  });
  return { sessions: () => [...records.values()] };
}
