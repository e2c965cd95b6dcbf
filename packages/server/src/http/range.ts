/**
 * Pure: a `Range` header and a file size in, what to send out (RFC 9110 §14). No Koa, no fs.
 * jshttp `range-parser` does the parsing; the product rules of SPEC's table sit around it.
 */
import rangeParser from "range-parser";

/** One inclusive byte range, already clamped to the file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What a `Range` header asks for, relative to one file size. */
export type RangeResult =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "multipart"; ranges: readonly ByteRange[] }
  | { kind: "unsatisfiable" };

/** More parts than this after coalescing and the whole file is sent instead (CVE-2011-3192). */
export const MAX_RANGE_PARTS = 16;

const FULL: RangeResult = { kind: "full" };
const UNSATISFIABLE: RangeResult = { kind: "unsatisfiable" };
// A suffix spec (`-n`) at the start of the set or after a comma, with optional whitespace.
const SUFFIX_SPEC = /(^|,)[ \t]*-[ \t]*(\d+)[ \t]*(?=,|$)/g;

/**
 * Decides how to answer `header` for a file of `size` bytes:
 * - no header, `bytes=0-`, or a unit other than `bytes` → `full` (§14.2: unknown units are ignored);
 * - an unparseable `bytes=` value, or no range that starts inside the file → `unsatisfiable`;
 * - one range left after sorting and coalescing → `partial`; several → `multipart`;
 * - over {@link MAX_RANGE_PARTS} parts, or more bytes asked than the file has → `full`.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined || header === "") {
    return FULL;
  }
  const equals = header.indexOf("=");
  // §14.2: a server MUST ignore a Range with a unit it does not understand; no `=` is no unit.
  if (equals === -1 || header.slice(0, equals).trim().toLowerCase() !== "bytes") {
    return FULL;
  }
  const set = header.slice(equals + 1);
  // SPEC: `bytes=0-` is the whole file as 200 (what players send first), also for an empty file.
  if (set.trim() === "0-") {
    return FULL;
  }
  if (size === 0) {
    return parseForEmptyFile(set);
  }
  const clamped = `bytes=${clampSuffixes(set, size)}`;
  const parsed = rangeParser(size, clamped);
  if (parsed === -2 || parsed === -1) {
    return UNSATISFIABLE;
  }
  const [first] = parsed;
  if (parsed.length === 1 && first !== undefined) {
    return { kind: "partial", start: first.start, end: first.end };
  }
  return combine(clamped, parsed, size);
}

/** Sorts and coalesces several ranges, or gives up on an abusive set (Apache, CVE-2011-3192). */
function combine(set: string, ranges: readonly ByteRange[], size: number): RangeResult {
  let asked = 0;
  for (const range of ranges) {
    asked += range.end - range.start + 1;
  }
  // Overlapping parts asking for more than the file is the classic amplification attack; the
  // sum is taken before coalescing, since coalesced parts can never exceed the file.
  if (asked > size) {
    return FULL;
  }
  // Parsing again is cheaper than it looks (a short string) and keeps the merging in the library.
  const merged = rangeParser(size, set, { combine: true });
  if (merged === -1 || merged === -2) {
    return UNSATISFIABLE; // unreachable: the same set parsed a moment ago
  }
  if (merged.length > MAX_RANGE_PARTS) {
    return FULL;
  }
  // range-parser keeps request order; SPEC (and every client's sanity) wants ascending offsets.
  const sorted = merged.map((range) => ({ start: range.start, end: range.end }));
  sorted.sort((a, b) => a.start - b.start);
  const [only] = sorted;
  if (sorted.length === 1 && only !== undefined) {
    return { kind: "partial", start: only.start, end: only.end };
  }
  return { kind: "multipart", ranges: sorted };
}

/**
 * §14.1.3: "If the selected representation is shorter than the specified suffix-length, the
 * entire representation is used". range-parser 1.3.0 drops such a suffix as unsatisfiable
 * (fixed only in 2.x, which needs Node 22), so it is rewritten to `0-` before parsing.
 */
function clampSuffixes(set: string, size: number): string {
  if (!set.includes("-")) {
    return set;
  }
  return set.replace(SUFFIX_SPEC, (spec: string, lead: string, digits: string) =>
    Number(digits) > size ? `${lead}0-` : spec,
  );
}

/**
 * An empty file has no byte to point at, so no 206 can be built. §14.1.1 still counts a non-zero
 * suffix (`bytes=-5`) as satisfiable, so it gets the whole (empty) file as 200, like `bytes=0-`;
 * every other well-formed range starts at or past the end → 416 `bytes *\/0`.
 */
function parseForEmptyFile(set: string): RangeResult {
  // Any size checks the syntax; 1 keeps range-parser away from its size-0 arithmetic.
  const parsed = rangeParser(1, `bytes=${set}`);
  if (parsed === -2) {
    return UNSATISFIABLE;
  }
  for (const spec of set.split(",")) {
    const trimmed = spec.trim();
    if (trimmed.startsWith("-") && Number(trimmed.slice(1).trim()) > 0) {
      return FULL;
    }
  }
  return UNSATISFIABLE;
}
