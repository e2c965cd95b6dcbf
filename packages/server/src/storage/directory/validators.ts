/** The HTTP validators of one file version (RFC 9110 §8.8): a strong ETag and Last-Modified. */
import type { Stats } from "node:fs";

/** The file facts a validator is built from. */
export type VersionStats = Pick<Stats, "size" | "mtimeMs" | "ctimeMs" | "ino" | "mtime">;

/**
 * Strong ETag `"<size>-<mtime µs>-<inode>-<ctime µs>"` (hex), RFC 9110 §8.8.3.
 *
 * Why more than size + mtime (what jshttp `etag` and `send` use, so not that library): `cp -p`,
 * `rsync -t`, `tar x` and `touch -r` replace a file's bytes and then set its mtime back, so a
 * same-size replacement would keep the tag and a resumed download (`If-Range`) would splice two
 * versions. Any such replacement changes what the filesystem does not let userspace set back:
 * the ctime (set by every write, truncate, rename and utimes) and, for a new file renamed over the
 * old one, the inode. Sub-millisecond precision keeps two writes in one millisecond apart. The
 * cost is that a metadata-only change (chmod, a hard link) also changes the tag: a spurious
 * full download, never a wrong one. Strong, because If-Range (§13.1.5) only ever matches a strong
 * tag, and these four values together vouch for the bytes.
 */
export function strongEtagOf(stats: VersionStats): string {
  return `"${stats.size.toString(16)}-${microsecondsHex(stats.mtimeMs)}-${stats.ino.toString(16)}-${microsecondsHex(stats.ctimeMs)}"`;
}

/** The `Last-Modified` value: the mtime as an IMF-fixdate (§5.6.7), whole seconds. */
export function lastModifiedOf(stats: Pick<Stats, "mtime">): string {
  return stats.mtime.toUTCString();
}

/** A `*Ms` stat (fractional milliseconds) as whole microseconds in hex; exact below 2^53 µs. */
function microsecondsHex(milliseconds: number): string {
  return Math.round(milliseconds * 1000).toString(16);
}
