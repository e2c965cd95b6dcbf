/**
 * `watchVideos`: the live library over `GET /api/videos/events`, read with fetch streaming so it
 * runs in browsers and in Node 20 (which has no `EventSource`). Like `EventSource` it reconnects
 * with `Last-Event-ID` after a dropped connection; unlike it, it also retries after HTTP errors,
 * backing off, because a restarting server behind a proxy answers 502/503 for a while.
 */
import { ReelApiError, toReelApiError } from "../errors.js";
import type { ClientContext, LibraryEvent, WatchOptions, WatchStatus } from "../types.js";
import { SseParser } from "./sse-parser.js";
import { toLibraryEvent } from "./to-library-event.js";

const DEFAULT_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** No byte for this long means a dead connection: the server sends a `: ping` every 15 s. */
const IDLE_TIMEOUT_MS = 45_000;

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Starts watching; returns the function that stops it (idempotent). */
export function watchVideos(
  context: ClientContext,
  onEvent: (event: LibraryEvent) => void,
  options: WatchOptions = {},
): () => void {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const { signal } = controller;
  if (options.signal?.aborted) {
    return stop;
  }
  options.signal?.addEventListener("abort", stop, { once: true });
  signal.addEventListener("abort", () => options.signal?.removeEventListener("abort", stop), {
    once: true,
  });

  let status: WatchStatus | undefined;
  const setStatus = (next: WatchStatus) => {
    if (!signal.aborted && next !== status) {
      status = next;
      options.onStatus?.(next);
    }
  };
  // A failed connection is expected while the server restarts: the status says "retrying".
  const reportConnectionError = (error: unknown) => options.onError?.(error);
  const reportEventError = (error: unknown) => {
    if (options.onError) {
      options.onError(error);
    } else {
      // No handler: surface it like a throwing EventSource listener, as an uncaught error,
      // without breaking the stream for the other events.
      setTimeout(() => {
        throw error;
      });
    }
  };
  let serverRetryMs: number | undefined;
  let failures = 0;

  const url = `${context.baseUrl}/api/videos/events`;
  const parser = new SseParser(
    {
      onMessage(message) {
        if (signal.aborted) {
          return;
        }
        try {
          const event = toLibraryEvent(message);
          if (event) {
            onEvent(event);
          }
        } catch (error) {
          reportEventError(error);
        }
      },
      onRetry(ms) {
        serverRetryMs = ms;
      },
    },
    options.lastEventId ?? "",
  );
  let reportedId = parser.lastEventId;
  /** Tells `onLastEventId` about an id the last chunk moved the stream to. */
  const reportLastEventId = () => {
    if (parser.lastEventId !== reportedId && !signal.aborted) {
      reportedId = parser.lastEventId;
      options.onLastEventId?.(reportedId);
    }
  };

  /**
   * One connection: resolves when the server ends the stream, rejects on failure. A half-open
   * TCP connection (server gone without a FIN) would otherwise wait forever, so silence longer
   * than the heartbeat interval aborts it.
   */
  async function connect(): Promise<void> {
    const connection = new AbortController();
    const abortConnection = () => connection.abort(signal.reason);
    signal.addEventListener("abort", abortConnection, { once: true });
    const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    const abortIdle = () =>
      connection.abort(new DOMException(`No data for ${idleTimeoutMs} ms`, "TimeoutError"));
    let idleTimer = setTimeout(abortIdle, idleTimeoutMs);
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(abortIdle, idleTimeoutMs);
    };
    try {
      await readStream(connection.signal, touch);
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener("abort", abortConnection);
    }
  }

  async function readStream(connectionSignal: AbortSignal, touch: () => void): Promise<void> {
    parser.reset();
    const header = parser.lastEventId === "" ? undefined : { "last-event-id": parser.lastEventId };
    const { data, error, response } = await context.raw.GET("/api/videos/events", {
      params: { header },
      headers: { Accept: "text/event-stream" },
      parseAs: "stream",
      cache: "no-store",
      signal: connectionSignal,
    });
    if (!response.ok) {
      throw toReelApiError(error, response, { method: "GET", url });
    }
    const contentType = response.headers.get("Content-Type") ?? "";
    if (!contentType.startsWith("text/event-stream")) {
      await data?.cancel();
      throw new ReelApiError({
        status: response.status,
        detail: `Expected text/event-stream, got "${contentType}"`,
        method: "GET",
        url: response.url || url,
      });
    }
    setStatus("open");
    touch();
    failures = 0;
    if (!data) {
      return;
    }
    const reader = data.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      touch();
      parser.feed(value);
      reportLastEventId();
    }
  }

  async function run(): Promise<void> {
    while (!signal.aborted) {
      setStatus("connecting");
      try {
        await connect();
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        reportConnectionError(error);
      }
      if (signal.aborted) {
        return;
      }
      setStatus("retrying");
      const base = options.retryDelayMs ?? serverRetryMs ?? DEFAULT_RETRY_MS;
      const delay = Math.min(base * 2 ** failures, MAX_RETRY_MS);
      failures += 1;
      await sleep(delay, signal);
    }
  }

  run().catch(reportEventError);
  return stop;
}
