/**
 * Open descriptors shared across requests, so a hot file costs one `lstat` per request instead
 * of open + fstat + close (three thread-pool round trips, ~30 % of Reel's CPU under many small
 * ranges before this cache). Hand-written: no library shares descriptors with reference counts
 * and identity checks (nginx's `open_file_cache` is the model, minus its validity window).
 *
 * Why a cached descriptor can never serve a replaced file: every request first `locate`s the
 * name (lstat; symlinks resolved and confined exactly as a fresh open would be) and reuses a
 * descriptor only when its (dev, ino) equals what the path names *now*. While we hold the
 * descriptor its inode cannot be freed, so no other file can carry that (dev, ino): equal means
 * same file. The size and validators come from that fresh lstat, so an in-place write or a
 * truncation is seen at once (through the same inode the descriptor reads). A file renamed over
 * gets another inode: the old entry is retired, and requests already reading it keep reading
 * the old bytes until they release it. inotify alone would not do: there is a window between
 * the rename and its event.
 *
 * Lifetime: each `acquire` takes a reference, released exactly once by its holder; a descriptor
 * is closed only when it is retired (replaced, evicted, idle, or `close()`) and unreferenced,
 * so eviction never closes a descriptor a stream is still reading.
 */
import type { Stats } from "node:fs";
import { lastModifiedOf, strongEtagOf } from "./validators.js";
import {
  closeFd,
  createVideoDirectory,
  type OpenVideo,
  type VideoDirectory,
} from "./video-directory.js";

const DEFAULT_MAX_ENTRIES = 256; // descriptors; far below the usual 1024 soft limit
const DEFAULT_IDLE_MS = 1000; // an unused descriptor closes within 1–1.5 s, back to baseline

/** A referenced, confined, regular file; call `release` exactly once when done reading `fd`. */
export interface DescriptorHandle extends OpenVideo {
  /** Drops this request's reference; the descriptor closes later if it is retired. Idempotent. */
  release(): void;
}

/** The video directory behind a descriptor cache. */
export interface VideoFiles {
  /** The real path of the directory. */
  readonly root: string;
  /** A handle on `name` (a validated segment), or `undefined` when no confined regular file has it. */
  acquire(name: string): Promise<DescriptorHandle | undefined>;
  /** Descriptors currently open (cached or still referenced after retirement). */
  openCount(): number;
  /** Closes every idle descriptor now and the rest as soon as their readers release them. */
  close(): void;
}

/** Tuning knobs, for tests. */
export interface VideoFilesOptions {
  maxEntries?: number;
  idleMs?: number;
}

interface Entry {
  key: string;
  fd: number;
  dev: number;
  ino: number;
  refs: number;
  lastUsed: number;
  /** Out of the map: closes when `refs` reaches 0. */
  retired: boolean;
  /** The validators last built for this inode, and the stats they were built from. */
  validators: CachedValidators | undefined;
}

/** `ETag` and `Last-Modified` of one version of an inode (what `strongEtagOf` reads). */
interface CachedValidators {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  etag: string;
  lastModified: string;
}

/**
 * The validators of `stats`, rebuilt only when the version changed: formatting a date and four
 * hex numbers on every request was ~3 % of Reel's CPU on small ranges. The inode is the entry's
 * own, so size, mtime and ctime are all that can differ.
 */
function validatorsOf(entry: Entry, stats: Stats): CachedValidators {
  const cached = entry.validators;
  if (
    cached !== undefined &&
    cached.size === stats.size &&
    cached.mtimeMs === stats.mtimeMs &&
    cached.ctimeMs === stats.ctimeMs
  ) {
    return cached;
  }
  const built: CachedValidators = {
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    etag: strongEtagOf(stats),
    lastModified: lastModifiedOf(stats),
  };
  entry.validators = built;
  return built;
}

/** A descriptor cache over `videoDir` (resolved once, like `createVideoDirectory`). */
export function createVideoFiles(videoDir: string, options: VideoFilesOptions = {}): VideoFiles {
  const directory: VideoDirectory = createVideoDirectory(videoDir);
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  // Map order is recency order (a hit re-inserts its entry), so the first key is the LRU one.
  const entries = new Map<string, Entry>();
  let open = 0;
  let closed = false;
  let sweeper: NodeJS.Timeout | undefined;

  const closeEntry = (entry: Entry): void => {
    open -= 1;
    closeFd(entry.fd);
  };

  const retire = (entry: Entry): void => {
    if (entries.get(entry.key) === entry) {
      entries.delete(entry.key);
    }
    if (!entry.retired) {
      entry.retired = true;
      if (entry.refs === 0) {
        closeEntry(entry);
      }
    }
    if (entries.size === 0 && sweeper !== undefined) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  const sweep = (): void => {
    const cutoff = Date.now() - idleMs;
    for (const entry of entries.values()) {
      if (entry.refs === 0 && entry.lastUsed <= cutoff) {
        retire(entry);
      }
    }
  };

  const insert = (entry: Entry): void => {
    entries.set(entry.key, entry);
    const oldest = entries.values().next().value;
    if (entries.size > maxEntries && oldest !== undefined) {
      retire(oldest);
    }
    if (sweeper === undefined) {
      // unref: an idle cache never keeps the process alive.
      sweeper = setInterval(sweep, Math.max(10, idleMs / 2)).unref();
    }
  };

  const handleOf = (entry: Entry, path: string, stats: Stats): DescriptorHandle => {
    entry.refs += 1;
    entry.lastUsed = Date.now();
    const { etag, lastModified } = validatorsOf(entry, stats);
    let released = false;
    return {
      fd: entry.fd,
      path,
      size: stats.size,
      stats,
      etag,
      lastModified,
      release() {
        if (released) {
          return;
        }
        released = true;
        entry.refs -= 1;
        entry.lastUsed = Date.now();
        if (entry.retired && entry.refs === 0) {
          closeEntry(entry);
        }
      },
    };
  };

  /** Miss: open with every check (`VideoDirectory.open`), then cache what was opened. */
  const openFresh = async (name: string): Promise<DescriptorHandle | undefined> => {
    const video = await directory.open(name);
    if (video === undefined) {
      return undefined;
    }
    open += 1;
    const entry: Entry = {
      key: video.path,
      fd: video.fd,
      dev: video.stats.dev,
      ino: video.stats.ino,
      refs: 0,
      lastUsed: 0,
      retired: closed,
      validators: undefined,
    };
    const current = entries.get(entry.key);
    if (current !== undefined && current.dev === entry.dev && current.ino === entry.ino) {
      // A concurrent miss cached the same inode first: share it and drop ours.
      closeEntry(entry);
      return handleOf(current, video.path, video.stats);
    }
    if (current !== undefined) {
      retire(current);
    }
    if (!closed) {
      insert(entry);
    }
    return handleOf(entry, video.path, video.stats);
  };

  return {
    root: directory.root,
    async acquire(name) {
      const located = await directory.locate(name);
      if (located === undefined) {
        return undefined;
      }
      const entry = entries.get(located.path);
      if (entry !== undefined) {
        if (entry.dev === located.stats.dev && entry.ino === located.stats.ino) {
          entries.delete(entry.key); // refresh recency
          entries.set(entry.key, entry);
          return handleOf(entry, located.path, located.stats);
        }
        retire(entry); // the path names another inode now (replaced by rename)
      }
      return openFresh(name);
    },
    openCount: () => open,
    close() {
      closed = true;
      for (const entry of [...entries.values()]) {
        retire(entry);
      }
    },
  };
}
