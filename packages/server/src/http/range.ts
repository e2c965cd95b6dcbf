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
// §14.1.1 range-spec grammar, with optional whitespace around the tokens (what send and nginx
// tolerate): int-range `first-[last]` and suffix-range `-length`.
const INT_RANGE = /^(\d+)[ \t]*-[ \t]*(\d*)$/;
const SUFFIX_RANGE = /^-[ \t]*(\d+)$/;
// Optional whitespace (§5.6.3) around a list element; `String.trim` would also eat CR, LF, NBSP.
const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * Decides how to answer `header` for a file of `size` bytes (RFC 9110 §14.1–§14.2):
 * - no header, or a unit other than `bytes` → `full` (§14.2: unknown units are ignored);
 * - a `bytes=` value that breaks the grammar anywhere (`bytes=abc`, `bytes=0-9,50-40`: one invalid
 *   spec makes the whole list invalid) or with no range starting inside the file → `unsatisfiable`;
 *   empty list elements (`bytes=0-4,`) are ignored (§5.6.1.2);
 * - one range left after sorting and coalescing → `partial`, also `bytes=0-` for the whole file
 *   (206 like nginx, Apache, send and Go; WebKit's media stack rejects a 200 there); several →
 *   `multipart`;
 * - over {@link MAX_RANGE_PARTS} parts, or more bytes asked than the file has → `full`;
 * - an empty file has no byte a 206 could name: `bytes=0-` and non-zero suffixes → `full`.
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
  const specs = parseRangeSet(header.slice(equals + 1));
  if (specs === undefined) {
    return UNSATISFIABLE;
  }
  if (size === 0) {
    return specs.some(isWholeOfEmptyFile) ? FULL : UNSATISFIABLE;
  }
  const clamped = `bytes=${specs.map((spec) => clampSuffix(spec, size)).join(",")}`;
  const parsed = rangeParser(size, clamped);
  if (parsed === -2 || parsed === -1) {
    return UNSATISFIABLE; // -2 cannot happen: the set was validated above
  }
  const [first] = parsed;
  if (parsed.length === 1 && first !== undefined) {
    return { kind: "partial", start: first.start, end: first.end };
  }
  return combine(clamped, parsed, size);
}

/** One syntactically valid range-spec, without whitespace: `first-`, `first-last` or `-length`. */
type RangeSpec =
  | { kind: "int"; first: string; last: string | undefined }
  | { kind: "suffix"; length: string };

/**
 * Parses a range-set (§14.1.1) as a whole: empty elements are dropped (§5.6.1.2); any element
 * that is not an int-range with first ≤ last or a suffix-range makes the set invalid
 * (`undefined`), as does a set with no element at all. Hand-written because range-parser skips an
 * invalid spec inside a list (`0-9,50-40` → 0-9) where RFC 9110 makes the header invalid.
 */
function parseRangeSet(set: string): RangeSpec[] | undefined {
  const specs: RangeSpec[] = [];
  for (const element of set.split(",")) {
    const text = element.replace(OWS, "");
    if (text === "") {
      continue;
    }
    const int = INT_RANGE.exec(text);
    if (int !== null) {
      const [, first = "", last = ""] = int;
      if (last !== "" && compareDigits(first, last) > 0) {
        return undefined; // §14.1.1: last-pos < first-pos is invalid
      }
      specs.push({ kind: "int", first, last: last === "" ? undefined : last });
      continue;
    }
    const suffix = SUFFIX_RANGE.exec(text);
    if (suffix === null) {
      return undefined;
    }
    specs.push({ kind: "suffix", length: suffix[1] ?? "" });
  }
  return specs.length === 0 ? undefined : specs;
}

/** Compares two decimal digit strings exactly, whatever their length (no float rounding). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) {
    return x.length - y.length;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A spec as range-parser reads it. §14.1.3: "If the selected representation is shorter than the
 * specified suffix-length, the entire representation is used"; range-parser 1.3.0 drops such a
 * suffix as unsatisfiable (fixed only in 2.x, which needs Node 22), so it becomes `0-`.
 */
function clampSuffix(spec: RangeSpec, size: number): string {
  if (spec.kind === "int") {
    return `${spec.first}-${spec.last ?? ""}`;
  }
  return Number(spec.length) > size ? "0-" : `-${spec.length}`;
}

/**
 * §14.1.1 counts a non-zero suffix (`bytes=-5`) as satisfiable on an empty file, and SPEC sends
 * `bytes=0-` there as the whole (empty) file: both get 200, since no 206 can say "0 bytes".
 */
function isWholeOfEmptyFile(spec: RangeSpec): boolean {
  if (spec.kind === "suffix") {
    return compareDigits(spec.length, "0") > 0;
  }
  return compareDigits(spec.first, "0") === 0 && spec.last === undefined;
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
