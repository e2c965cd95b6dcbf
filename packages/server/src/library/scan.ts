/**
 * Finds the servable files of the video directory. Whether a name is servable is decided in one
 * place, `VideoDirectory.locate` (files/video-directory.ts), the same rule the stream route opens
 * files by: a servable filename, a regular file, and a symlink only when its target stays inside
 * the directory and passes through no dotfile or dot directory (SPEC "list").
 */
import type { Dirent, Stats } from "node:fs";
import { readdir } from "node:fs/promises";
import { strongEtagOf } from "../files/validators.js";
import type { VideoDirectory } from "../files/video-directory.js";
import { isServableFilename } from "../openapi/schemas.js";

/** What the library knows about one servable file before reading its header. */
export interface FileFacts {
  filename: string;
  size: number;
  mtimeMs: number;
  /** The strong ETag the stream route sends for this version (files/validators.ts). */
  etag: string;
  /** Kept for the listing's `modifiedAt`. */
  stats: Stats;
}

/**
 * True when two observations of a file show the same version: the same ETag, so size, mtime,
 * inode and ctime all agree (a `cp -p` replacement that keeps size and mtime is a new version).
 */
export function isSameVersion(a: Pick<FileFacts, "etag">, b: Pick<FileFacts, "etag">): boolean {
  return a.etag === b.etag;
}

/** Stats `filename` in `directory`; `undefined` when it is missing or must not be served. */
export async function statServable(
  directory: VideoDirectory,
  filename: string,
): Promise<FileFacts | undefined> {
  if (!isServableFilename(filename)) {
    return undefined;
  }
  try {
    const located = await directory.locate(filename);
    if (located === undefined) {
      return undefined;
    }
    const { stats } = located;
    return { filename, size: stats.size, mtimeMs: stats.mtimeMs, etag: strongEtagOf(stats), stats };
  } catch {
    // Unreadable (e.g. EIO) between readdir and stat: not part of the library.
    return undefined;
  }
}

/** Every servable file of `directory`, keyed by filename. */
export async function scanDirectory(directory: VideoDirectory): Promise<Map<string, FileFacts>> {
  const entries: Dirent[] = await readdir(directory.root, { withFileTypes: true });
  const found = new Map<string, FileFacts>();
  const candidates = entries.filter(
    (entry) => (entry.isFile() || entry.isSymbolicLink()) && isServableFilename(entry.name),
  );
  // Batches keep the number of concurrent stats bounded on directories of thousands of files.
  const BATCH = 256;
  for (let index = 0; index < candidates.length; index += BATCH) {
    const batch = candidates.slice(index, index + BATCH);
    const facts = await Promise.all(batch.map((entry) => statServable(directory, entry.name)));
    for (const fact of facts) {
      if (fact !== undefined) {
        found.set(fact.filename, fact);
      }
    }
  }
  return found;
}
