/** The HTTP validators of one file version (RFC 9110 §8.8): a strong ETag and Last-Modified. */
import type { Stats } from "node:fs";
import { etag } from "etag";

/**
 * Strong ETag from size + mtime (jshttp `etag`, as `send` uses it, made strong): a file replaced
 * by rename gets another mtime and so another tag. Strong, because If-Range (§13.1.5) only ever
 * matches a strong tag, and a byte-identical file is exactly what size + mtime vouch for here.
 */
export function strongEtagOf(stats: Pick<Stats, "size" | "mtime" | "ctime" | "ino">): string {
  return etag(stats, { weak: false });
}

/** The `Last-Modified` value: the mtime as an IMF-fixdate (§5.6.7), whole seconds. */
export function lastModifiedOf(stats: Pick<Stats, "mtime">): string {
  return stats.mtime.toUTCString();
}
