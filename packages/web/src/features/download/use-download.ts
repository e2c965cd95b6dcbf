import { useCallback, useEffect, useRef, useState } from "react";
import type { PlayerClient, VideoInfo } from "../../lib/reel";
import { saveBlob } from "./save-file";

/** Where a download stands. */
export type DownloadState =
  | { kind: "idle" }
  | { kind: "downloading"; loaded: number; total: number }
  | {
      kind: "paused";
      loaded: number;
      total: number;
      reason: "cancelled" | "interrupted";
      detail: string;
    }
  | { kind: "done"; total: number };

/** The bytes kept between attempts, so a resume continues instead of starting over. */
interface Partial {
  chunks: Uint8Array<ArrayBuffer>[];
  loaded: number;
  etag: string | null;
}

const EMPTY: Partial = { chunks: [], loaded: 0, etag: null };

/** Download state plus start/cancel/resume/discard. */
export interface DownloadController {
  state: DownloadState;
  start(): void;
  cancel(): void;
  discard(): void;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/**
 * Downloads `video` through the SDK, keeping every received chunk and the ETag: after a cancel
 * or a network failure, `start()` resumes from the bytes already held (`from: {offset, etag}`).
 * If the file changed meanwhile the SDK restarts at offset 0 and the old chunks are dropped, so
 * two versions are never spliced. The finished chunks become one Blob, saved under the file's
 * own name. The whole file is held in memory until then, which suits the library's sizes.
 */
export function useDownload(client: PlayerClient, video: VideoInfo): DownloadController {
  const [state, setState] = useState<DownloadState>({ kind: "idle" });
  const partial = useRef<Partial>(EMPTY);
  const controller = useRef<AbortController | null>(null);
  const { filename, contentType } = video;

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(() => {
    if (controller.current) {
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    const held = partial.current;
    const from =
      held.loaded > 0 && held.etag !== null ? { offset: held.loaded, etag: held.etag } : undefined;
    let total = video.size;
    setState({ kind: "downloading", loaded: held.loaded, total });

    const run = async () => {
      const result = await client.download(filename, { signal: abort.signal, from });
      total = result.size;
      if (result.offset === 0 || result.offset !== held.loaded) {
        partial.current = { chunks: [], loaded: 0, etag: result.etag };
      } else {
        partial.current = { ...held, etag: result.etag };
      }
      const reader = result.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        // Copied into a fresh ArrayBuffer-backed view: Blob parts must not be shared memory.
        partial.current.chunks.push(new Uint8Array(value));
        partial.current.loaded += value.byteLength;
        setState({ kind: "downloading", loaded: partial.current.loaded, total });
      }
      if (partial.current.loaded !== total) {
        throw new Error(`Stream ended at ${partial.current.loaded} of ${total} bytes`);
      }
      saveBlob(new Blob(partial.current.chunks, { type: contentType }), filename);
      partial.current = EMPTY;
      setState({ kind: "done", total });
    };

    run()
      .catch((error: unknown) => {
        const loaded = partial.current.loaded;
        if (abort.signal.aborted || isAbort(error)) {
          setState({ kind: "paused", loaded, total, reason: "cancelled", detail: "" });
          return;
        }
        const detail = error instanceof Error ? error.message : String(error);
        setState({ kind: "paused", loaded, total, reason: "interrupted", detail });
      })
      .finally(() => {
        controller.current = null;
      });
  }, [client, filename, contentType, video.size]);

  const cancel = useCallback(() => controller.current?.abort(), []);

  const discard = useCallback(() => {
    controller.current?.abort();
    partial.current = EMPTY;
    setState({ kind: "idle" });
  }, []);

  return { state, start, cancel, discard };
}
