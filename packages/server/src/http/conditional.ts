/**
 * Pure: conditional request checks (RFC 9110 §13) against a file's validators. No Koa, no fs.
 * jshttp `fresh` answers If-None-Match / If-Modified-Since, as it does for `send` and Koa.
 */
import fresh from "fresh";

/** The validators of one file version, as sent in `ETag` and `Last-Modified`. */
export interface Validators {
  etag: string;
  lastModified: string;
}

/** The request headers the checks read (Node lower-cases header names). */
export interface ConditionalHeaders {
  "if-none-match"?: string | undefined;
  "if-modified-since"?: string | undefined;
  "cache-control"?: string | undefined;
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
 * ETag by strong comparison (so a weak `W/` tag never matches); a date must equal Last-Modified
 * exactly. Anything else means the client's partial copy is stale: send the whole file.
 */
export function isRangeFresh(ifRange: string | undefined, validators: Validators): boolean {
  if (ifRange === undefined) {
    return true;
  }
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) {
    return value === validators.etag && !validators.etag.startsWith("W/");
  }
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === Date.parse(validators.lastModified);
}
