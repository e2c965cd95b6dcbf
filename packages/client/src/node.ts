/**
 * `@reel/client/node`: `downloadToFile`, a resumable download to disk. A separate entry point so
 * browser bundles never import `node:fs`.
 *
 * On disk while unfinished: `<path>.part` (the bytes so far) and `<path>.part.etag` (the ETag
 * they were read under). A later call resumes from the `.part` with `If-Range`, and the file is
 * renamed to `path` only when complete, so `path` never holds a partial or spliced file.
 */
import { open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import type { DownloadProgress, ReelClient } from "./index.js";

/** Options of `downloadToFile`. */
export interface DownloadToFileOptions {
  /** Aborts the transfer; the `.part` file stays for the next call to resume. */
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

/** The finished download. */
export interface DownloadToFileResult {
  path: string;
  size: number;
  etag: string;
  /** Bytes reused from an earlier `.part`; 0 for a fresh start or when the file had changed. */
  resumedFrom: number;
}

/** The resume point left by an interrupted call, if both the `.part` and its ETag are there. */
async function readResumePoint(
  partPath: string,
  etagPath: string,
): Promise<{ offset: number; etag: string } | undefined> {
  try {
    const [{ size }, etag] = await Promise.all([stat(partPath), readFile(etagPath, "utf8")]);
    return size > 0 && etag !== "" ? { offset: size, etag } : undefined;
  } catch (error) {
    if (isNotFound(error)) {
      return undefined; // nothing to resume, or a .part without its ETag: start over
    }
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/** Downloads `filename` to `path`, resuming a `.part` left by an interrupted call. */
export async function downloadToFile(
  client: ReelClient,
  filename: string,
  path: string,
  options: DownloadToFileOptions = {},
): Promise<DownloadToFileResult> {
  const partPath = `${path}.part`;
  const etagPath = `${partPath}.etag`;
  const from = await readResumePoint(partPath, etagPath);
  const { body, size, etag, offset } = await client.download(filename, {
    signal: options.signal,
    onProgress: options.onProgress,
    from,
  });

  // Resuming appends; anything else truncates first and only then records the new ETag, so a
  // crash in between leaves an empty .part (a fresh start), never old bytes under a new ETag.
  const file = await open(partPath, offset > 0 ? "a" : "w");
  try {
    if (offset === 0) {
      await writeFile(etagPath, etag);
    }
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      await file.write(value);
    }
  } finally {
    await file.close();
  }

  const written = (await stat(partPath)).size;
  if (written !== size) {
    throw new Error(`${partPath} holds ${written} bytes, expected ${size}`);
  }
  await rename(partPath, path);
  await rm(etagPath, { force: true });
  return { path, size, etag, resumedFrom: offset };
}
