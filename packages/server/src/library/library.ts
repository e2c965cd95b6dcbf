/**
 * The video library: an in-memory catalogue of the store's servable videos with their media
 * facts, kept current by the store's change reports. Media facts are read once per version
 * (ETag), so a listing never touches storage and a replaced video is read again. The library
 * knows nothing of HTTP or SSE: it reports each change to `onChange`, and the app connects that
 * to the event hub.
 */
import type { Logger } from "pino";
import type { ListVideosQuery, VideoInfo, VideoList } from "../openapi/schemas.js";
import type { StoredVideo, VideoStore } from "../storage/store.js";
import { readMediaInfo } from "./media.js";
import { type ListEntry, selectPage, sortEntries } from "./page.js";
import { toVideoInfo } from "./video-info.js";

/** A change of the library, as announced to clients. */
export type LibraryChange =
  | { event: "added" | "changed"; data: VideoInfo }
  | { event: "removed"; data: { filename: string } };

/** How to build a library. */
export interface LibraryOptions {
  store: VideoStore;
  logger: Logger;
  /** Called once per applied change, in order. */
  onChange?: (change: LibraryChange) => void;
  /** ms between progress lines while the first scan runs; default 1000. */
  progressLogMs?: number;
}

interface CatalogueEntry extends ListEntry {
  etag: string;
}

const PROBE_CONCURRENCY = 8; // videos read at once while reading headers
const PROGRESS_LOG_MS = 1000; // a progress line this often while the first scan runs

/** How far the first scan is: videos read so far of those listed (`total` 0 while listing). */
export interface ScanProgress {
  done: number;
  total: number;
}

/** The catalogue of one store. */
export class Library {
  private readonly entries = new Map<string, CatalogueEntry>();
  private readonly sorted = new Map<ListVideosQuery["sort"], ListEntry[]>();
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private unwatch: (() => void) | undefined;
  private started = false;
  private progress: ScanProgress | undefined;

  constructor(private readonly options: LibraryOptions) {
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  /** Starts watching, then lists the store once; resolves when the catalogue is complete. */
  async start(): Promise<void> {
    if (this.started) {
      return this.ready;
    }
    this.started = true;
    this.progress = { done: 0, total: 0 };
    // Watch first so nothing written during the initial listing is missed.
    this.unwatch = this.options.store.watch({
      onChange: (name, video) => this.apply(name, video),
    });
    const startedAt = Date.now();
    const { logger } = this.options;
    const ticker = setInterval(() => {
      logger.info({ ...this.progress }, "scanning library");
    }, this.options.progressLogMs ?? PROGRESS_LOG_MS);
    ticker.unref();
    try {
      await this.probeAll(await this.options.store.list());
      logger.info({ videos: this.count, ms: Date.now() - startedAt }, "library scanned");
    } catch (error: unknown) {
      logger.error({ err: error }, "could not list the videos");
    } finally {
      clearInterval(ticker);
    }
    this.progress = undefined;
    this.markReady();
  }

  /** The first scan's progress while it runs; `undefined` before `start()` and once it is done. */
  get scanning(): ScanProgress | undefined {
    return this.progress === undefined ? undefined : { ...this.progress };
  }

  /** Resolves once the initial listing has finished. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * Resolves once every change the store has noticed is applied (nothing pending or settling).
   * For tests and diagnostics: a change the store has not noticed yet is not waited for.
   */
  whenIdle(): Promise<void> {
    return this.options.store.settled();
  }

  /** Stops watching the store. */
  close(): void {
    this.unwatch?.();
    this.unwatch = undefined;
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

  /** Applies one settled change to the catalogue and reports it. */
  private async apply(name: string, video: StoredVideo | undefined): Promise<void> {
    await this.ready; // the initial listing owns the catalogue until it is complete
    const known = this.entries.get(name);
    if (video === undefined) {
      if (known !== undefined) {
        this.remove(name);
        this.options.onChange?.({ event: "removed", data: { filename: name } });
      }
      return;
    }
    if (known !== undefined && known.etag === video.etag) {
      return;
    }
    const entry = await this.probe(video);
    this.store(entry);
    this.options.onChange?.({ event: known === undefined ? "added" : "changed", data: entry.info });
  }

  private async probeAll(videos: StoredVideo[]): Promise<void> {
    const progress = { done: 0, total: videos.length };
    this.progress = progress;
    let next = 0;
    const worker = async () => {
      for (let video = videos[next++]; video !== undefined; video = videos[next++]) {
        this.store(await this.probe(video));
        progress.done += 1;
      }
    };
    await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, worker));
  }

  /** Reads the media facts of `video`, through a handle so size, ETag and bytes are one version. */
  private async probe(video: StoredVideo): Promise<CatalogueEntry> {
    let facts = video;
    let media = null;
    const handle = await this.options.store.open(video.name).catch(() => undefined);
    if (handle !== undefined) {
      try {
        facts = handle;
        media = await readMediaInfo(handle.name, handle.size, handle.read);
      } finally {
        handle.release();
      }
    }
    return {
      info: toVideoInfo(facts, media),
      etag: facts.etag,
      mtimeMs: facts.modifiedMs,
      lowerName: facts.name.toLowerCase(),
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
