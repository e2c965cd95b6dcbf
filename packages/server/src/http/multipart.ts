/**
 * Pure: `multipart/byteranges` bodies (RFC 9110 §14.6) planned up front so `Content-Length` is
 * exact; `send-body.ts` then streams them part by part, one ranged read per part.
 */
import { randomBytes } from "node:crypto";
import type { ByteRange } from "./range.js";

/** One part: its header block and the bytes of the file it carries. */
export interface MultipartPart extends ByteRange {
  head: Buffer;
}

/** Everything needed to send a multipart body: its headers, its parts and its exact length. */
export interface MultipartPlan {
  /** The `Content-Type` of the whole response. */
  contentType: string;
  /** Exact body length in bytes, for `Content-Length`. */
  length: number;
  parts: readonly MultipartPart[];
  /** The closing delimiter. */
  tail: Buffer;
}

/** A random boundary: 24 hex digits cannot plausibly occur in the file (§14.6). */
function createBoundary(): string {
  return `reel-${randomBytes(12).toString("hex")}`;
}

/**
 * Lays out the body: `--boundary`, the part's Content-Type and Content-Range, a blank line, the
 * bytes, then CRLF before the next delimiter, and `--boundary--` at the end (RFC 2046 §5.1.1).
 */
export function planMultipart(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
  boundary: string = createBoundary(),
): MultipartPlan {
  let length = 0;
  const parts = ranges.map((range, index) => {
    const head = Buffer.from(
      `${index === 0 ? "" : "\r\n"}--${boundary}\r\n` +
        `Content-Type: ${contentType}\r\n` +
        `Content-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`,
      "latin1",
    );
    length += head.length + range.end - range.start + 1;
    return { head, start: range.start, end: range.end };
  });
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, "latin1");
  length += tail.length;
  return { contentType: `multipart/byteranges; boundary=${boundary}`, length, parts, tail };
}
