/**
 * `@reel/client/node`: `downloadToFile`, a resumable download to disk. A separate entry point so
 * browser bundles never import `node:fs`.
 *
 * On disk while unfinished: `<path>.part` (the bytes so far) and `<path>.part.etag` (the ETag
 * they were read under). A later call resumes from the `.part` with `If-Range`, and the file is
 * renamed to `path` only when complete, so `path` never holds a partial or spliced file.
 *
 * A transfer cut off midway (the connection dropped, a replica died, the server answered 5xx) is
 * resumed by the call itself, from the `.part`, a few times with growing pauses: behind a load
 * balancer the next attempt reaches a live replica, and `If-Range` makes it continue the same
 * version or start over, never splice.
 */
import { open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { ReelApiError } from "./errors.js";
import type { DownloadProgress, ReelClient } from "./index.js";

/** Attempts after the first when a transfer fails midway (`DownloadToFileOptions.retries`). */
const DEFAULT_RETRIES = 3;
/** Pause before the first retry, doubled for each further one (ms). */
const DEFAULT_RETRY_DELAY_MS = 250;

/** Options of `downloadToFile`. */
export interface DownloadToFileOptions {
  /** Aborts the transfer; the `.part` file stays for the next call to resume. */
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /**
   * Further attempts, each resuming from the `.part`, after a transfer fails midway: a network
   * error (connection refused, reset or cut off) or a 5xx answer. Default 3; 0 fails at once.
   * A 4xx answer, an abort through `signal` and a local file error are never retried.
   */
  retries?: number;
  /** Pause before the first retry (ms), doubled for each further one. Default 250. */
  retryDelayMs?: number;
}

/** The finished download. */
export interface DownloadToFileResult {
  path: string;
  size: number;
  etag: string;
  /**
   * Bytes the successful attempt reused from the `.part` (left by an earlier call or by this
   * call's own failed attempts); 0 for a fresh start or when the video had changed.
   */
  resumedFrom: number;
  /** Attempts this call made: 1, or more when it resumed a transfer that failed midway. */
  attempts: number;
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

/**
 * Downloads `filename` to `path`, resuming a `.part` left by an interrupted call, and resuming by
 * itself up to `options.retries` times when the transfer fails midway.
 * @returns the finished file's path, size (bytes), ETag, the bytes reused from a `.part`, and the
 *   attempts made.
 * @throws {ReelApiError} for a 4xx answer (404: no such video), or a 5xx once retries run out.
 * @throws the platform's network error once retries run out, or `signal`'s abort reason.
 */
export async function downloadToFile(
  client: ReelClient,
  filename: string,
  path: string,
  options: DownloadToFileOptions = {},
): Promise<DownloadToFileResult> {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const delayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await downloadOnce(client, filename, path, options)), attempts: attempt };
    } catch (error: unknown) {
      if (attempt > retries || options.signal?.aborted === true || !isRetryable(error)) {
        throw error;
      }
      await sleep(delayMs * 2 ** (attempt - 1), undefined, { signal: options.signal });
    }
  }
}

/** Whether a failed attempt may succeed when resumed: the network or the server (5xx) failed. */
function isRetryable(error: unknown): boolean {
  if (error instanceof ReelApiError) {
    return error.status >= 500;
  }
  // fetch reports refused, reset and cut-off connections as a TypeError ("fetch failed",
  // "terminated"); anything else (a file system error, a protocol error) is not the network's.
  return error instanceof TypeError;
}

/** One attempt: resume from the `.part` (or start over), then rename when complete. */
async function downloadOnce(
  client: ReelClient,
  filename: string,
  path: string,
  options: DownloadToFileOptions,
): Promise<Omit<DownloadToFileResult, "attempts">> {
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
