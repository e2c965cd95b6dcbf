/**
 * Pure byte-range helpers: `ByteRange` → `Range` header, and `Content-Range` → numbers
 * (RFC 9110 §14.1.2, §14.4). No I/O, so both are tested on strings alone.
 */

/** A byte range: `{ start, end? }` (end inclusive, open-ended without it) or the last `suffix` bytes. */
export type ByteRange = { start: number; end?: number } | { suffix: number };

/** The three numbers of a `Content-Range: bytes start-end/size` header. */
export interface ContentRange {
  /** First byte sent, zero-based. */
  start: number;
  /** Last byte sent, inclusive. */
  end: number;
  /** Size of the whole file. */
  size: number;
}

function assertByteCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Formats a `Range` header value. Only malformed numbers are refused here; whether a range fits
 * the file (`end < start`, `suffix: 0`, a start past the end) is the server's call, answered 416.
 */
export function formatRange(range: ByteRange): string {
  if ("suffix" in range) {
    assertByteCount("suffix", range.suffix);
    return `bytes=-${range.suffix}`;
  }
  assertByteCount("start", range.start);
  if (range.end === undefined) {
    return `bytes=${range.start}-`;
  }
  assertByteCount("end", range.end);
  return `bytes=${range.start}-${range.end}`;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;
const UNSATISFIED_RANGE = /^bytes \*\/(\d+)$/;

/** Parses `bytes start-end/size`; `undefined` for anything else (absent, `*`, unknown size). */
export function parseContentRange(header: string | null): ContentRange | undefined {
  const match = CONTENT_RANGE.exec(header?.trim() ?? "");
  if (!match) {
    return undefined;
  }
  const [, start, end, size] = match.map(Number);
  if (start === undefined || end === undefined || size === undefined || end < start) {
    return undefined;
  }
  return { start, end, size };
}

/** Parses the `bytes *\/size` of a 416 answer (RFC 9110 §15.5.17); `undefined` otherwise. */
export function parseUnsatisfiedSize(header: string | null): number | undefined {
  const match = UNSATISFIED_RANGE.exec(header?.trim() ?? "");
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
