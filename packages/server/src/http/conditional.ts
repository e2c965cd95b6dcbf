/**
 * Pure: conditional request checks (RFC 9110 §13) against a representation's validators. No Koa,
 * no fs. jshttp `fresh` answers If-None-Match / If-Modified-Since, as it does for `send` and Koa;
 * If-Match, If-Unmodified-Since and If-Range are written here because `fresh` only does the 304
 * half, and If-Match needs the strong comparison `fresh` never makes.
 */
import fresh from "fresh";

/** The validators of one representation, as sent in `ETag` and `Last-Modified`. */
export interface Validators {
  /** A strong entity tag, quotes included (§8.8.3). */
  etag: string;
  /** An IMF-fixdate (§5.6.7), whole seconds. */
  lastModified: string;
}

/** The request headers the checks read (Node lower-cases header names). */
export interface ConditionalHeaders {
  "if-match"?: string | undefined;
  "if-unmodified-since"?: string | undefined;
  "if-none-match"?: string | undefined;
  "if-modified-since"?: string | undefined;
  "if-range"?: string | undefined;
  "cache-control"?: string | undefined;
}

/**
 * What the preconditions decide for a GET or HEAD (§13.2.2):
 * `precondition-failed` → 412; `not-modified` → 304; `send` → 200/206, with `honourRange` false
 * when an If-Range no longer matches (send the whole representation).
 */
export type ConditionalOutcome =
  | { kind: "precondition-failed"; failed: "if-match" | "if-unmodified-since" }
  | { kind: "not-modified" }
  | { kind: "send"; honourRange: boolean };

const NOT_MODIFIED: ConditionalOutcome = { kind: "not-modified" };
const SEND_RANGE: ConditionalOutcome = { kind: "send", honourRange: true };
const SEND_WHOLE: ConditionalOutcome = { kind: "send", honourRange: false };
// One entity-tag of a list (§8.8.3): optional weak prefix, a quoted opaque-tag, then `,` or end.
const ENTITY_TAG = /[ \t,]*(W\/)?("[^"]*")[ \t]*(?:,|$)/y;

/**
 * Evaluates every conditional header of a GET or HEAD in the order of §13.2.2: If-Match, else
 * If-Unmodified-Since (412 when false); then If-None-Match, else If-Modified-Since (304 when
 * false); then If-Range. `nowMs` is the time of the response (ms since the epoch), which decides
 * whether Last-Modified is strong enough for If-Range (§8.8.2.2).
 */
export function evaluateConditionals(
  headers: ConditionalHeaders,
  validators: Validators,
  nowMs: number,
): ConditionalOutcome {
  const failed = failedPrecondition(headers, validators);
  if (failed !== undefined) {
    return { kind: "precondition-failed", failed };
  }
  if (isNotModified(headers, validators)) {
    return NOT_MODIFIED;
  }
  return isRangeFresh(headers["if-range"], validators, nowMs) ? SEND_RANGE : SEND_WHOLE;
}

/**
 * The header that fails, so the answer is 412: If-Match (§13.1.1) or, without it,
 * If-Unmodified-Since (§13.1.4); `undefined` when neither fails. If-Match compares strongly: a
 * `W/` tag never matches, `*` matches any current representation. An If-Unmodified-Since that is
 * not a valid HTTP-date is ignored (§13.1.4).
 */
export function failedPrecondition(
  headers: ConditionalHeaders,
  validators: Validators,
): "if-match" | "if-unmodified-since" | undefined {
  const ifMatch = headers["if-match"];
  if (ifMatch !== undefined) {
    return matchesStrongly(ifMatch, validators.etag) ? undefined : "if-match";
  }
  const ifUnmodifiedSince = headers["if-unmodified-since"];
  if (ifUnmodifiedSince !== undefined) {
    const since = Date.parse(ifUnmodifiedSince);
    const modifiedAfter = !Number.isNaN(since) && Date.parse(validators.lastModified) > since;
    return modifiedAfter ? "if-unmodified-since" : undefined;
  }
  return undefined;
}

/**
 * True when the client's cached copy is current, so the answer is 304 (§13.1.2, §13.1.3).
 * If-None-Match wins over If-Modified-Since (§13.2.2); `Cache-Control: no-cache` forces a reload.
 */
export function isNotModified(headers: ConditionalHeaders, validators: Validators): boolean {
  if (headers["if-none-match"] === undefined && headers["if-modified-since"] === undefined) {
    return false; // the common case: skip building the objects fresh wants
  }
  return fresh(
    {
      "if-none-match": headers["if-none-match"],
      "if-modified-since": headers["if-modified-since"],
      "cache-control": headers["cache-control"],
    },
    { etag: validators.etag, "last-modified": validators.lastModified },
  );
}

/**
 * §13.1.5 If-Range: true when the Range may be honoured. An entity tag must match the strong
 * ETag by strong comparison (so a weak `W/` tag never matches). A date must equal Last-Modified
 * exactly and be a strong validator: §8.8.2.2 allows that only when the modification time lies at
 * least one second before the response, because a file rewritten within the same second keeps
 * the same date. As Apache does, a date whose second is not over at `nowMs` (the current second,
 * or a future one) never matches. Anything else means the client's partial copy may be stale:
 * send the whole representation.
 */
export function isRangeFresh(
  ifRange: string | undefined,
  validators: Validators,
  nowMs: number,
): boolean {
  if (ifRange === undefined) {
    return true;
  }
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) {
    return value === validators.etag && !validators.etag.startsWith("W/");
  }
  const date = Date.parse(value);
  const lastModified = Date.parse(validators.lastModified);
  return (
    !Number.isNaN(date) &&
    date === lastModified &&
    Math.floor(lastModified / 1000) < Math.floor(nowMs / 1000)
  );
}

/**
 * §13.1.1: `*` matches any current representation; otherwise true when one entity-tag of the
 * list equals `etag` by strong comparison (§8.8.3.2: both strong, same opaque-tag). A list that
 * does not parse matches nothing, so the request fails safe with 412.
 */
function matchesStrongly(list: string, etag: string): boolean {
  if (list.trim() === "*") {
    return true;
  }
  if (etag.startsWith("W/")) {
    return false;
  }
  ENTITY_TAG.lastIndex = 0;
  while (ENTITY_TAG.lastIndex < list.length) {
    const match = ENTITY_TAG.exec(list);
    if (match === null) {
      return false;
    }
    if (match[1] === undefined && match[2] === etag) {
      return true;
    }
  }
  return false;
}
