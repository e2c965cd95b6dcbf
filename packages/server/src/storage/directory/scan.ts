/**
 * Finds the servable files of the video directory. Whether a name is servable is decided in one
 * place, `VideoDirectory.locate` (video-directory.ts), the same rule the stream route opens
 * files by: a servable filename, a regular file, and a symlink only when its target stays inside
 * the directory and passes through no dotfile or dot directory (SPEC "list").
 */
import type { Dirent, Stats } from "node:fs";
import { readdir } from "node:fs/promises";
import { isServableFilename } from "../names.js";
import type { StoredVideo } from "../store.js";
import { lastModifiedOf, strongEtagOf } from "./validators.js";
import type { VideoDirectory } from "./video-directory.js";

/**
 * True when two observations of a file show the same version: the same ETag, so size, mtime,
 * inode and ctime all agree (a `cp -p` replacement that keeps size and mtime is a new version).
 */
export function isSameVersion(a: Pick<StoredVideo, "etag">, b: Pick<StoredVideo, "etag">): boolean {
  return a.etag === b.etag;
}

/** The `StoredVideo` of the file `name` whose stats are `stats`. */
function storedVideoOf(name: string, stats: Stats): StoredVideo {
  return {
    name,
    size: stats.size,
    etag: strongEtagOf(stats),
    lastModified: lastModifiedOf(stats),
    modifiedMs: stats.mtimeMs,
  };
}

/** Stats `filename` in `directory`; `undefined` when it is missing or must not be served. */
export async function statServable(
  directory: VideoDirectory,
  filename: string,
): Promise<StoredVideo | undefined> {
  if (!isServableFilename(filename)) {
    return undefined;
  }
  try {
    const located = await directory.locate(filename);
    if (located === undefined) {
      return undefined;
    }
    return storedVideoOf(filename, located.stats);
  } catch {
    // Unreadable (e.g. EIO) between readdir and stat: not part of the library.
    return undefined;
  }
}

/** Every servable file of `directory`, keyed by filename. */
export async function scanDirectory(directory: VideoDirectory): Promise<Map<string, StoredVideo>> {
  const entries: Dirent[] = await readdir(directory.root, { withFileTypes: true });
  const found = new Map<string, StoredVideo>();
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
        found.set(fact.name, fact);
      }
    }
  }
  return found;
}
