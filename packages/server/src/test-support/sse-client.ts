/** A minimal Server-Sent Events reader over node:http for black-box tests of the events route. */
import { type ClientRequest, request } from "node:http";

/** One parsed frame; `comment` holds a `:` line's text instead of fields. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
  receivedAt: number;
}

/** An open event stream that records every frame it receives. */
export interface EventStreamReader {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  frames: SseFrame[];
  /** Frames that carry an `event:` (real events, not the preamble or comments). */
  events(): SseFrame[];
  /** Resolves with the first recorded frame (past or future) matching `predicate`. */
  waitFor(predicate: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  close(): void;
}

/** Opens `url` as an event stream, optionally resuming with `Last-Event-ID`. */
export function openEventStream(
  url: string,
  options: { lastEventId?: string; headers?: Record<string, string> } = {},
): Promise<EventStreamReader> {
  return new Promise((resolve, reject) => {
    const frames: SseFrame[] = [];
    const waiters = new Set<() => void>();
    let buffer = "";
    const headers: Record<string, string> = { Accept: "text/event-stream", ...options.headers };
    if (options.lastEventId !== undefined) {
      headers["Last-Event-ID"] = options.lastEventId;
    }
    const req: ClientRequest = request(url, { headers, agent: false }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          frames.push(parseFrame(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
        for (const wake of waiters) {
          wake();
        }
      });
      res.on("error", () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        events: () => frames.filter((frame) => frame.event !== undefined),
        waitFor: (predicate, timeoutMs = 5000) =>
          new Promise((found, fail) => {
            const check = () => {
              const match = frames.find(predicate);
              if (match !== undefined) {
                waiters.delete(check);
                clearTimeout(timer);
                found(match);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching event within ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        close: () => {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.on("error", reject);
    req.end();
  });
}

function parseFrame(text: string): SseFrame {
  const frame: SseFrame = { receivedAt: Date.now() };
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "") {
      frame.comment = value;
    } else if (field === "id" || field === "event" || field === "data" || field === "retry") {
      frame[field] = value;
    }
  }
  return frame;
}
