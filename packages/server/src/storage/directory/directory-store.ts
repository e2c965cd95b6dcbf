/**
 * The `VideoStore` over a local directory: names are files of one flat folder, judged by
 * `VideoDirectory` (confinement), opened through the shared descriptor cache, read with
 * positional reads, and watched with one `fs.watch` plus a periodic rescan for what the kernel
 * queue dropped.
 */
import type { Logger } from "pino";
import { isServableFilename, isSidecarFilename } from "../names.js";
import type { StoredVideo, StoreListener, VideoHandle, VideoStore } from "../store.js";
import { createVideoFiles, type VideoFilesOptions } from "./descriptor-cache.js";
import { pumpRange } from "./pump-range.js";
import { isSameVersion, scanDirectory, statServable } from "./scan.js";
import { createSidecarFiles } from "./sidecars.js";
import { createSmallReads } from "./small-reads.js";
import { createVideoDirectory } from "./video-directory.js";
import { DirectoryWatcher } from "./watcher.js";

/** How to build a directory store. */
export interface DirectoryStoreOptions {
  videoDir: string;
  /** Bytes per read from disk (`CHUNK_SIZE`). */
  chunkSize: number;
  /** Milliseconds a file's size and mtime must stay still before a change is reported. */
  stableMs: number;
  logger: Logger;
  /** Milliseconds between full rescans that catch events the OS dropped. */
  reconcileMs?: number;
  /** Descriptor cache tuning (entries, idle time), for the cache's own tests. */
  fileCache?: VideoFilesOptions;
}

/** A directory store: `openCount` counts descriptors (cached or still being read). */
export type DirectoryStore = VideoStore;

const DEFAULT_RECONCILE_MS = 60_000;

/** A `VideoStore` over `options.videoDir` (resolved to its real path once, at start). */
export function createDirectoryStore(options: DirectoryStoreOptions): DirectoryStore {
  const { chunkSize, stableMs, logger } = options;
  const directory = createVideoDirectory(options.videoDir);
  const files = createVideoFiles(options.videoDir, options.fileCache);
  const sidecars = createSidecarFiles(directory);
  const reads = createSmallReads();
  // What the watcher last reported or a listing last saw, so a rescan reports only differences.
  const known = new Map<string, StoredVideo>();
  let watcher: DirectoryWatcher | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;

  const stat = (name: string) => statServable(directory, name);

  const reconcile = async (): Promise<void> => {
    try {
      const found = await scanDirectory(directory);
      for (const video of found.values()) {
        const seen = known.get(video.name);
        if (seen === undefined || !isSameVersion(seen, video)) {
          watcher?.schedule(video.name);
        }
      }
      for (const name of known.keys()) {
        if (!found.has(name)) {
          watcher?.schedule(name);
        }
      }
    } catch (error: unknown) {
      logger.error({ err: error }, "could not rescan the video directory");
    }
  };

  return {
    location: directory.root,
    available: true, // a local directory answers or fails per file, never as a whole
    async list() {
      const found = await scanDirectory(directory);
      const now = Date.now();
      for (const video of found.values()) {
        known.set(video.name, video);
        if (now - video.modifiedMs < stableMs) {
          // Listed now (it is there), and watched: if it is still being written, a change is
          // reported once it settles.
          watcher?.schedule(video.name);
        }
      }
      return [...found.values()];
    },
    stat,
    async open(name): Promise<VideoHandle | undefined> {
      const held = await files.acquire(name);
      if (held === undefined) {
        return undefined;
      }
      const { fd } = held;
      return {
        name,
        size: held.size,
        etag: held.etag,
        lastModified: held.lastModified,
        modifiedMs: held.stats.mtimeMs,
        fresh: true, // the descriptor cache checks the file on every acquire
        read: (start, end) => reads.read(fd, start, end - start + 1),
        pipe: (sink, start, end) => pumpRange(sink, fd, start, end, { chunkSize, name, reads }),
        release: held.release,
      };
    },
    sidecarsOf: (name) => sidecars.sidecarsOf(name),
    readSidecar: (name) => sidecars.read(name),
    async mediaSource(name) {
      const located = isServableFilename(name) ? await directory.locate(name) : undefined;
      // `file:` keeps ffmpeg from reading a name such as `-x.mp4` or `a:b.mp4` as an option or
      // another protocol; the real path has no symlink left in it.
      return located === undefined ? undefined : `file:${located.path}`;
    },
    watch(listener: StoreListener) {
      const current = new DirectoryWatcher({
        videoDir: directory.root,
        stableMs,
        logger,
        stat,
        onSettled: async (name, video) => {
          if (isSidecarFilename(name)) {
            sidecars.invalidate(); // the library reads the sidecars of its video again
          }
          if (video === undefined) {
            known.delete(name);
          } else {
            known.set(name, video);
          }
          await listener.onChange(name, video);
        },
        onUnknownChange: () => void reconcile(),
      });
      watcher = current;
      try {
        current.start();
      } catch (error: unknown) {
        // E.g. ENOSPC when the inotify watch limit is reached: keep serving, and let the
        // periodic rescan find changes, only later.
        logger.error({ err: error }, "cannot watch the video directory");
      }
      reconcileTimer = setInterval(
        () => void reconcile(),
        options.reconcileMs ?? DEFAULT_RECONCILE_MS,
      ).unref();
      return () => {
        clearInterval(reconcileTimer);
        current.close();
        if (watcher === current) {
          watcher = undefined;
        }
      };
    },
    settled: () => watcher?.whenIdle() ?? Promise.resolve(),
    close() {
      clearInterval(reconcileTimer);
      watcher?.close();
      files.close();
    },
    openCount: () => files.openCount(),
  };
}
