/**
 * Finds the servable files of the video directory: only names `isServableFilename` accepts, only
 * regular files, and symlinks only when their target stays inside the directory (SPEC "list").
 */
import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { isServableFilename } from "../openapi/schemas.js";

/** What the library knows about one servable file before reading its header. */
export interface FileFacts {
  filename: string;
  size: number;
  mtimeMs: number;
  /** Kept because the ETag is derived from the stats, exactly as the stream route does. */
  stats: Stats;
}

/** True when two observations of a file show the same size and modification time. */
export function isSameVersion(a: Pick<FileFacts, "size" | "mtimeMs">, b: typeof a): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Stats `filename` inside `videoDir`; `undefined` when it is missing or must not be served. */
export async function statServable(
  videoDir: string,
  realVideoDir: string,
  filename: string,
): Promise<FileFacts | undefined> {
  if (!isServableFilename(filename)) {
    return undefined;
  }
  const path = join(videoDir, filename);
  try {
    const link = await lstat(path);
    if (link.isSymbolicLink()) {
      // A link is served only when its target resolves inside the directory (no escapes).
      const target = await realpath(path);
      if (!target.startsWith(realVideoDir + sep)) {
        return undefined;
      }
    } else if (!link.isFile()) {
      return undefined;
    }
    const stats = link.isSymbolicLink() ? await stat(path) : link;
    if (!stats.isFile()) {
      return undefined;
    }
    return { filename, size: stats.size, mtimeMs: stats.mtimeMs, stats };
  } catch {
    // Vanished between readdir and stat, or unreadable: not part of the library.
    return undefined;
  }
}

/** Every servable file of `videoDir`, keyed by filename. */
export async function scanDirectory(
  videoDir: string,
  realVideoDir: string,
): Promise<Map<string, FileFacts>> {
  const entries: Dirent[] = await readdir(videoDir, { withFileTypes: true });
  const found = new Map<string, FileFacts>();
  const candidates = entries.filter(
    (entry) => (entry.isFile() || entry.isSymbolicLink()) && isServableFilename(entry.name),
  );
  // Batches keep the number of concurrent stats bounded on directories of thousands of files.
  const BATCH = 256;
  for (let index = 0; index < candidates.length; index += BATCH) {
    const batch = candidates.slice(index, index + BATCH);
    const facts = await Promise.all(
      batch.map((entry) => statServable(videoDir, realVideoDir, entry.name)),
    );
    for (const fact of facts) {
      if (fact !== undefined) {
        found.set(fact.filename, fact);
      }
    }
  }
  return found;
}
