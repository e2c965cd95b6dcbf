/**
 * `download`: a file (or its rest) as a stream with progress. The body is passed through chunk by
 * chunk, pulled only as fast as the caller reads, so memory stays flat whatever the file size.
 */
import { ReelApiError, toReelApiError } from "./errors.js";
import { parseContentRange, parseUnsatisfiedSize } from "./range.js";
import type { ClientContext, Download, DownloadOptions, DownloadProgress } from "./types.js";
import { videoPath } from "./urls.js";

/** Starts downloading `filename`, resuming at `from.offset` while the file keeps `from.etag`. */
export async function download(
  context: ClientContext,
  filename: string,
  options: DownloadOptions = {},
): Promise<Download> {
  const { signal, onProgress } = options;
  const url = context.baseUrl + videoPath(filename);
  const from = options.from !== undefined && options.from.offset > 0 ? options.from : undefined;
  if (from !== undefined && !Number.isSafeInteger(from.offset)) {
    throw new RangeError(`from.offset must be a non-negative integer, got ${from.offset}`);
  }
  // RFC 9110 §13.1.5: with If-Range the server sends the rest only if the file is unchanged,
  // otherwise the whole new file (200), so two versions are never spliced.
  const header = from ? { range: `bytes=${from.offset}-`, "if-range": from.etag } : undefined;
  const { data, error, response } = await context.raw.GET("/api/video/{filename}", {
    params: { path: { filename }, header },
    parseAs: "stream",
    signal,
    // A download streams the file once: it must not wait on, or fill, the browser's HTTP cache
    // entry of the same URL, which a <video> may be writing as a 206 at the same moment (Firefox
    // holds a concurrent request for that entry until the media element finishes).
    cache: "no-store",
  });
  // The server broke the protocol (no size, wrong range): an HTTP failure, typed as such.
  const protocolError = (detail: string): ReelApiError =>
    new ReelApiError({ status: response.status, detail, method: "GET", url: response.url || url });

  if (response.status === 416 && from !== undefined) {
    // A 416 to a request with If-Range means the ETag matched (otherwise the answer is 200), so
    // `bytes */size` equal to the offset says the caller already holds the whole file.
    if (parseUnsatisfiedSize(response.headers.get("Content-Range")) === from.offset) {
      onProgress?.({ loaded: from.offset, total: from.offset });
      return { body: emptyStream(), size: from.offset, etag: from.etag, offset: from.offset };
    }
  }
  if (!response.ok) {
    throw toReelApiError(error, response, { method: "GET", url });
  }

  const etag = response.headers.get("ETag") ?? "";
  let offset = 0;
  let size: number;
  if (response.status === 206) {
    const contentRange = parseContentRange(response.headers.get("Content-Range"));
    if (
      !contentRange ||
      contentRange.start !== from?.offset ||
      contentRange.end !== contentRange.size - 1
    ) {
      await data?.cancel();
      throw protocolError(
        `Unexpected Content-Range "${response.headers.get("Content-Range")}" for ${header?.range}`,
      );
    }
    offset = contentRange.start;
    size = contentRange.size;
  } else {
    size = Number(response.headers.get("Content-Length") ?? Number.NaN);
    if (!Number.isSafeInteger(size) || size < 0) {
      await data?.cancel();
      throw protocolError("The response has no Content-Length, so the file size is unknown");
    }
  }
  onProgress?.({ loaded: offset, total: size });
  const body = countBytes(data ?? emptyStream(), offset, size, onProgress, protocolError, signal);
  return { body, size, etag, offset };
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

/**
 * Re-emits `source` chunk by chunk, counting bytes. `highWaterMark: 0` makes it read from the
 * network only when the consumer asks, so backpressure reaches the socket. An abort of `signal`
 * errors the stream with the signal's reason and cancels `source` itself: on Node 20, undici stops
 * honouring the signal once the `Request` openapi-fetch built for it has been garbage-collected,
 * and the body would then run to its end after the caller gave up (a Ctrl-C ignored).
 */
function countBytes(
  source: ReadableStream<Uint8Array>,
  offset: number,
  size: number,
  onProgress: ((progress: DownloadProgress) => void) | undefined,
  protocolError: (detail: string) => ReelApiError,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let loaded = offset;
  let aborted = false;
  let stopListening = (): void => undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (signal === undefined) {
          return;
        }
        const onAbort = () => {
          aborted = true;
          controller.error(signal.reason);
          reader.cancel(signal.reason).catch(() => undefined);
        };
        if (signal.aborted) {
          onAbort();
          return;
        }
        signal.addEventListener("abort", onAbort, { once: true });
        stopListening = () => signal.removeEventListener("abort", onAbort);
      },
      async pull(controller) {
        // A rejected read (abort, reset connection) errors this stream with the same platform error.
        const { done, value } = await reader.read();
        if (aborted) {
          return; // already errored with the abort's reason
        }
        if (done) {
          stopListening();
          if (loaded === size) {
            controller.close();
          } else {
            controller.error(protocolError(`The body ended after ${loaded} of ${size} bytes`));
          }
          return;
        }
        loaded += value.byteLength;
        if (loaded > size) {
          stopListening();
          controller.error(protocolError(`The body is longer than its ${size} bytes`));
          await reader.cancel();
          return;
        }
        controller.enqueue(value);
        onProgress?.({ loaded, total: size });
      },
      cancel(reason) {
        stopListening();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
