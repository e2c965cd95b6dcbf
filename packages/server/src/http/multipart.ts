/**
 * `multipart/byteranges` bodies (RFC 9110 §14.6): planned up front so `Content-Length` is exact,
 * then streamed part by part in chunk-sized reads, never holding a whole file in memory.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
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

/** Reads `length` bytes of the file at `position`; a short result means the file shrank. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** A random boundary: 24 hex digits cannot plausibly occur in the file (§14.6). */
export function createBoundary(): string {
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

/**
 * Streams `plan`, reading at most `chunkSize` bytes at a time. Reads happen only when the
 * consumer asks (backpressure); `onClose` runs once when the body ends, fails or is destroyed.
 */
export function streamMultipart(
  plan: MultipartPlan,
  readAt: ReadAt,
  chunkSize: number,
  onClose: () => void,
): Readable {
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      onClose();
    }
  };
  async function* generate(): AsyncGenerator<Buffer> {
    try {
      for (const part of plan.parts) {
        yield part.head;
        let position = part.start;
        while (position <= part.end) {
          const chunk = await readAt(position, Math.min(chunkSize, part.end - position + 1));
          if (chunk.length === 0) {
            // The promised Content-Length can no longer be met: fail the response, don't pad it.
            throw new Error(`file shrank while sending bytes ${position}-${part.end}`);
          }
          yield chunk;
          position += chunk.length;
        }
      }
      yield plan.tail;
    } finally {
      close();
    }
  }
  // Byte mode with one chunk of buffer: object mode would prefetch 16 chunks per response.
  const body = Readable.from(generate(), { objectMode: false, highWaterMark: chunkSize });
  // A body destroyed before its first read (the client reset the request at once) never enters
  // the generator, so its `finally` never runs. 'close' comes after that `finally` otherwise.
  body.once("close", close);
  return body;
}
