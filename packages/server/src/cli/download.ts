/**
 * `reel download URL NAME [OUT]`: one video from a running Reel to a file, through the SDK's
 * `downloadToFile`, which resumes the `<OUT>.part` an interrupted run left behind.
 *
 * The SDK is bundled into this file when the package is built (scripts/bundle-cli.mjs), so the
 * packed server needs no published `@reel/client`.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { createReelClient, ReelApiError } from "@reel/client";
import { downloadToFile } from "@reel/client/node";
import { createProgressReporter, formatBytes, type ProgressSink } from "./progress.js";

/** Where the command writes, and its signal to stop. */
export interface DownloadIo {
  /** One line of result. */
  stdout(text: string): void;
  /** Progress and errors. */
  stderr: ProgressSink;
  /** Aborts the transfer (SIGINT); the `.part` stays for the next run. */
  signal: AbortSignal;
}

/** What to fetch and where to put it. */
export interface DownloadRequest {
  url: string;
  name: string;
  out: string;
}

/**
 * Downloads `request.name` from the Reel at `request.url` to `request.out`.
 * @returns the exit code: 0 done, 1 failed (one line on stderr), 130 interrupted.
 */
export async function runDownload(request: DownloadRequest, io: DownloadIo): Promise<number> {
  const client = createReelClient({ baseUrl: request.url });
  const progress = createProgressReporter(io.stderr);
  // OUT naming a folder (as `cp` and `curl -O` users expect) saves NAME inside it.
  const out = isDirectory(request.out) ? join(request.out, request.name) : request.out;
  try {
    const result = await downloadToFile(client, request.name, out, {
      signal: io.signal,
      onProgress: ({ loaded, total }) => progress.update(loaded, total),
    });
    progress.finish();
    const resumed =
      result.resumedFrom > 0 ? `, resumed from ${formatBytes(result.resumedFrom)}` : "";
    io.stdout(`saved ${result.path} (${formatBytes(result.size)}${resumed})\n`);
    return 0;
  } catch (error: unknown) {
    progress.finish();
    if (io.signal.aborted) {
      io.stderr.write(`reel: interrupted; run the same command again to resume ${out}\n`);
      return 130; // 128 + SIGINT, as a shell reports it
    }
    io.stderr.write(`reel: ${describeFailure(error, { ...request, out })}\n`);
    return 1;
  }
}

/** One line for a failed download: the server's detail, the network's code, or the file's. */
function describeFailure(error: unknown, request: DownloadRequest): string {
  if (error instanceof ReelApiError) {
    return `${error.detail} (HTTP ${error.status} from ${request.url})`;
  }
  // fetch reports a refused or cut connection as TypeError("fetch failed") with the cause.
  if (error instanceof TypeError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return `cannot reach ${request.url} (${codeOf(error.cause) ?? cause})`;
  }
  const code = codeOf(error);
  if (code !== undefined) {
    return `cannot write ${request.out} (${code})`;
  }
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

/** Whether `path` is an existing folder (symlinks followed). */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
