/**
 * Watches the video directory and reports a file only once it has settled: its size and mtime
 * have not moved for `stableMs`. Producers that write in place are therefore announced after
 * their last write, and a rename into place after `stableMs`.
 *
 * Why `fs.watch` and not chokidar: Reel serves one flat directory, and `fs.watch` on it is one
 * inotify watch (one FSEvents stream on macOS) whatever the number of files. chokidar 6 adds an
 * `fs.watch` per file on Linux, so a library of 10,000 videos would cost 10,000 watchers, and its
 * `awaitWriteFinish` polls each pending file on its own timer. What chokidar adds on top (recursion,
 * globbing, atomic-write folding) Reel does not need; the periodic reconcile covers the events a
 * kernel queue overflow can drop.
 */
import { type FSWatcher, watch } from "node:fs";
import type { Logger } from "pino";
import type { StoredVideo } from "../store.js";
import { isSameVersion } from "./scan.js";

/** What the watcher needs from its owner. */
export interface WatcherOptions {
  videoDir: string;
  stableMs: number;
  logger: Logger;
  /** Current facts of a name, `undefined` when it is gone or not servable. */
  stat(filename: string): Promise<StoredVideo | undefined>;
  /** Called once per settled change; calls for one name never overlap. */
  onSettled(filename: string, facts: StoredVideo | undefined): Promise<void>;
  /** Called when the OS could not say which file changed; the owner rescans. */
  onUnknownChange(): void;
}

interface Pending {
  timer: NodeJS.Timeout;
  sample: StoredVideo | undefined;
}

const MIN_RECHECK_MS = 50; // never spin faster than this on a file with a future mtime

/** Debounces directory events per file until the file is stable. */
export class DirectoryWatcher {
  private watcher: FSWatcher | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly settling = new Set<string>();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: WatcherOptions) {}

  /** Starts watching; events before this call are found by the owner's initial scan. */
  start(): void {
    this.watcher = watch(this.options.videoDir, { persistent: false }, (_type, filename) => {
      if (filename === null) {
        this.options.onUnknownChange();
      } else {
        this.schedule(filename);
      }
    });
    this.watcher.on("error", (error: unknown) => {
      this.options.logger.error({ err: error }, "video directory watcher failed");
    });
  }

  /** Looks at `filename` again after `stableMs` (each new event for it restarts the wait). */
  schedule(filename: string): void {
    const entry = this.pending.get(filename);
    if (entry !== undefined) {
      entry.timer.refresh(); // same callback, wait restarted: cheap for a file written in bursts
      return;
    }
    this.arm(filename, undefined, this.options.stableMs);
  }

  /** Stops watching and forgets pending files. */
  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
    }
    this.pending.clear();
    this.notifyIfIdle();
  }

  /** Resolves when no file is pending or settling (now, if none is). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Files waiting to settle (for tests and diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private arm(filename: string, sample: StoredVideo | undefined, delayMs: number): void {
    const timer = setTimeout(() => {
      void this.check(filename);
    }, delayMs);
    timer.unref();
    this.pending.set(filename, { timer, sample });
  }

  private async check(filename: string): Promise<void> {
    const entry = this.pending.get(filename);
    if (entry === undefined) {
      return;
    }
    if (this.settling.has(filename)) {
      this.arm(filename, entry.sample, this.options.stableMs);
      return;
    }
    const facts = await this.options.stat(filename);
    if (this.pending.get(filename) !== entry) {
      return; // closed, or re-armed while we were stat-ing
    }
    if (facts !== undefined && !this.isStable(facts, entry.sample)) {
      const quietFor = Date.now() - facts.modifiedMs;
      const delay = Math.min(
        this.options.stableMs,
        Math.max(MIN_RECHECK_MS, this.options.stableMs - quietFor),
      );
      this.arm(filename, facts, delay);
      return;
    }
    this.pending.delete(filename);
    this.settling.add(filename);
    try {
      await this.options.onSettled(filename, facts);
    } catch (error: unknown) {
      this.options.logger.error({ err: error, filename }, "could not update the library");
    } finally {
      this.settling.delete(filename);
      this.notifyIfIdle();
    }
  }

  private isIdle(): boolean {
    return this.pending.size === 0 && this.settling.size === 0;
  }

  private notifyIfIdle(): void {
    if (this.isIdle() && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) {
        resolve();
      }
    }
  }

  /**
   * Stable when nothing wrote the file for `stableMs` (every write moves mtime), or when two
   * looks `stableMs` apart saw the same size and mtime (covers mtimes set in the future).
   */
  private isStable(facts: StoredVideo, sample: StoredVideo | undefined): boolean {
    if (Date.now() - facts.modifiedMs >= this.options.stableMs) {
      return true;
    }
    return sample !== undefined && isSameVersion(sample, facts);
  }
}
