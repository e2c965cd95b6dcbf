/**
 * The video library: an in-memory catalogue of the servable files with their media facts, kept
 * current by one directory watcher and announced through one event hub. Media facts are cached
 * per file by (size, mtime), so a listing never touches the disk and a changed file is re-read.
 */
import { join } from "node:path";
import type { Logger } from "pino";
import { createVideoDirectory, type VideoDirectory } from "../files/video-directory.js";
import type { ListVideosQuery, VideoInfo, VideoList } from "../openapi/schemas.js";
import { EventHub, type EventHubOptions } from "./event-hub.js";
import { readMediaInfo } from "./media.js";
import { type ListEntry, selectPage, sortEntries } from "./page.js";
import { type FileFacts, isSameVersion, scanDirectory, statServable } from "./scan.js";
import { toVideoInfo } from "./video-info.js";
import { DirectoryWatcher } from "./watcher.js";

/** How to build a library. */
export interface LibraryOptions {
  videoDir: string;
  /** Milliseconds a file's size and mtime must stay still before it is announced. */
  stableMs: number;
  logger: Logger;
  /** Milliseconds between full rescans that catch events the OS dropped. */
  reconcileMs?: number;
  hub?: EventHubOptions;
}

interface CatalogueEntry extends ListEntry {
  size: number;
  etag: string;
}

const PROBE_CONCURRENCY = 8; // open files at once while reading headers
const DEFAULT_RECONCILE_MS = 60_000;

/** The catalogue plus its watcher and event hub. */
export class Library {
  /** Live events for `GET /api/videos/events`. */
  readonly hub: EventHub;
  private readonly entries = new Map<string, CatalogueEntry>();
  private readonly sorted = new Map<ListVideosQuery["sort"], ListEntry[]>();
  private readonly watcher: DirectoryWatcher;
  private readonly directory: VideoDirectory;
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly options: LibraryOptions) {
    this.hub = new EventHub(options.hub);
    // The stream route's own confinement rule, so the listing never shows what it would refuse.
    this.directory = createVideoDirectory(options.videoDir);
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    this.watcher = new DirectoryWatcher({
      videoDir: options.videoDir,
      stableMs: options.stableMs,
      logger: options.logger,
      stat: (filename) => this.stat(filename),
      onSettled: (filename, facts) => this.apply(filename, facts),
      onUnknownChange: () => void this.reconcile(),
    });
  }

  /** Starts the watcher, then reads the directory once; resolves when the catalogue is complete. */
  async start(): Promise<void> {
    if (this.started) {
      return this.ready;
    }
    this.started = true;
    // Watch first so nothing written during the initial scan is missed.
    try {
      this.watcher.start();
    } catch (error: unknown) {
      // E.g. ENOSPC when the inotify watch limit is reached: keep serving, and let the
      // periodic reconcile find changes, only later.
      this.options.logger.error({ err: error }, "cannot watch the video directory");
    }
    try {
      const found = await scanDirectory(this.directory);
      const now = Date.now();
      for (const facts of found.values()) {
        if (now - facts.mtimeMs < this.options.stableMs) {
          // Listed now (it was there at start), and watched: if it is still being written, the
          // catalogue and a `changed` event follow once it settles.
          this.watcher.schedule(facts.filename);
        }
      }
      await this.probeAll([...found.values()]);
    } catch (error: unknown) {
      this.options.logger.error({ err: error }, "could not scan the video directory");
    }
    this.markReady();
    const reconcileMs = this.options.reconcileMs ?? DEFAULT_RECONCILE_MS;
    this.reconcileTimer = setInterval(() => void this.reconcile(), reconcileMs).unref();
  }

  /**
   * Resolves once every change the watcher has been told of is settled and applied (nothing
   * pending or settling). For tests and diagnostics: a change whose event has not arrived yet is
   * not waited for.
   */
  whenIdle(): Promise<void> {
    return this.watcher.whenIdle();
  }

  /** Resolves once the initial scan has finished. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Stops the watcher, the reconcile timer and every event stream. */
  close(): void {
    clearInterval(this.reconcileTimer);
    this.watcher.close();
    this.hub.close();
  }

  /** Number of videos in the catalogue. */
  get count(): number {
    return this.entries.size;
  }

  /** One `VideoInfo`, or `undefined` when the name is not in the catalogue. */
  get(filename: string): VideoInfo | undefined {
    return this.entries.get(filename)?.info;
  }

  /** One page of the catalogue; throws `CursorError` for a cursor that does not decode. */
  list(query: ListVideosQuery): VideoList {
    let sorted = this.sorted.get(query.sort);
    if (sorted === undefined) {
      sorted = sortEntries(this.entries.values(), query.sort);
      this.sorted.set(query.sort, sorted);
    }
    return selectPage(sorted, query);
  }

  /** Compares the directory with the catalogue and routes every difference through the watcher. */
  async reconcile(): Promise<void> {
    try {
      const found = await scanDirectory(this.directory);
      for (const facts of found.values()) {
        const known = this.entries.get(facts.filename);
        if (known === undefined || !isSameVersion(known, facts)) {
          this.watcher.schedule(facts.filename);
        }
      }
      for (const filename of this.entries.keys()) {
        if (!found.has(filename)) {
          this.watcher.schedule(filename);
        }
      }
    } catch (error: unknown) {
      this.options.logger.error({ err: error }, "could not rescan the video directory");
    }
  }

  private stat(filename: string): Promise<FileFacts | undefined> {
    return statServable(this.directory, filename);
  }

  /** Applies one settled change to the catalogue and publishes it. */
  private async apply(filename: string, facts: FileFacts | undefined): Promise<void> {
    await this.ready; // the initial scan owns the catalogue until it is complete
    const known = this.entries.get(filename);
    if (facts === undefined) {
      if (known !== undefined) {
        this.remove(filename);
        this.hub.publish({ event: "removed", data: { filename } });
      }
      return;
    }
    if (known !== undefined && isSameVersion(known, facts)) {
      return;
    }
    const entry = await this.probe(facts);
    this.store(entry);
    this.hub.publish({ event: known === undefined ? "added" : "changed", data: entry.info });
  }

  private async probeAll(files: FileFacts[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      for (let file = files[next++]; file !== undefined; file = files[next++]) {
        this.store(await this.probe(file));
      }
    };
    await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, worker));
  }

  private async probe(facts: FileFacts): Promise<CatalogueEntry> {
    const media = await readMediaInfo(join(this.options.videoDir, facts.filename), facts.size);
    return {
      info: toVideoInfo(facts, media),
      size: facts.size,
      etag: facts.etag,
      mtimeMs: facts.mtimeMs,
      lowerName: facts.filename.toLowerCase(),
    };
  }

  private store(entry: CatalogueEntry): void {
    this.entries.set(entry.info.filename, entry);
    this.sorted.clear();
  }

  private remove(filename: string): void {
    this.entries.delete(filename);
    this.sorted.clear();
  }
}
