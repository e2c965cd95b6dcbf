/** `fetchRange`: one byte range of a file, read into memory (for probes, thumbnails, headers). */
import { ReelApiError, toReelApiError } from "./errors.js";
import { type ByteRange, type ContentRange, formatRange, parseContentRange } from "./range.js";
import type { ClientContext, FetchRangeInit, RangeResponse } from "./types.js";
import { videoPath } from "./urls.js";

/** Fetches `range` of `filename`; a 416 or any other failure throws `ReelApiError`. */
export async function fetchRange(
  context: ClientContext,
  filename: string,
  range: ByteRange,
  init: FetchRangeInit = {},
): Promise<RangeResponse> {
  const url = context.baseUrl + videoPath(filename);
  const header: { range: string; "if-range"?: string } = { range: formatRange(range) };
  if (init.ifRange !== undefined) {
    header["if-range"] = init.ifRange;
  }
  const { data, error, response } = await context.raw.GET("/api/video/{filename}", {
    params: { path: { filename }, header },
    parseAs: "arrayBuffer",
    signal: init.signal,
  });
  if (!response.ok) {
    throw toReelApiError(error, response, { method: "GET", url });
  }
  // openapi-fetch leaves `data` undefined for an empty body (Content-Length: 0).
  const bytes = data === undefined ? new Uint8Array(0) : new Uint8Array(data);
  const etag = response.headers.get("ETag") ?? "";
  if (response.status !== 206) {
    // A 200 is the whole file: a stale `If-Range`, an empty file, or a server that ignores Range.
    const whole: ContentRange = { start: 0, end: bytes.byteLength - 1, size: bytes.byteLength };
    return { status: 200, bytes, contentRange: whole, etag };
  }
  const contentRange = parseContentRange(response.headers.get("Content-Range"));
  if (!contentRange || contentRange.end - contentRange.start + 1 !== bytes.byteLength) {
    throw new ReelApiError({
      status: response.status,
      detail: `Malformed 206: Content-Range "${response.headers.get("Content-Range")}" for ${bytes.byteLength} bytes`,
      method: "GET",
      url: response.url || url,
    });
  }
  return { status: 206, bytes, contentRange, etag };
}
