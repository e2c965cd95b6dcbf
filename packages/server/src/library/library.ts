/**
 * The video library: an in-memory catalogue of the store's servable videos with their media
 * facts, kept current by the store's change reports. Media facts are read once per version
 * (ETag), so a listing never touches storage and a replaced video is read again. The library
 * knows nothing of HTTP or SSE: it reports each change to `onChange`, and the app connects that
 * to the event hub.
 */
import type { Logger } from "pino";
import { subtitlePathOf } from "../extras/urls.js";
import type { ListVideosQuery, VideoInfo, VideoList } from "../openapi/schemas.js";
import { isSidecarFilename, stemOf } from "../storage/names.js";
import type { StoredVideo, VideoStore } from "../storage/store.js";
import { type SubtitleSource, subtitleSourcesOf } from "../subtitles/tracks.js";
import { Catalogue, type CatalogueEntry } from "./catalogue.js";
import { readMediaInfo } from "./media.js";
import { toVideoInfo } from "./video-info.js";

export type { CatalogueEntry };

/**
 * The catalogue as the routes read it. `StoreLibrary` keeps it from the store; a cluster
 * worker's `FollowerLibrary` (cluster/follower-library.ts) mirrors the primary's.
 */
export interface Library {
  /** Number of videos in the catalogue. */
  readonly count: number;
  /** The first scan's progress while it runs; `undefined` before it starts and once it is done. */
  readonly scanning: ScanProgress | undefined;
  /** Resolves once the initial listing has finished. */
  whenReady(): Promise<void>;
  /**
   * Resolves once every change the store has noticed is applied (nothing pending or settling).
   * For tests and diagnostics: a change the store has not noticed yet is not waited for.
   */
  whenIdle(): Promise<void>;
  /** One `VideoInfo`, or `undefined` when the name is not in the catalogue. */
  get(filename: string): VideoInfo | undefined;
  /** The ETag of the version in the catalogue, or `undefined` when the name is not in it. */
  versionOf(filename: string): string | undefined;
  /** The sidecar serving track `lang` of `filename`, or `undefined`. */
  subtitleSource(filename: string, lang: string): SubtitleSource | undefined;
  /** One page of the catalogue; throws `CursorError` for a cursor that does not decode. */
  list(query: ListVideosQuery): VideoList;
}

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
  /** Posters and previews (extras/media-extras.ts); without it they stay `null`. */
  extras?: LibraryExtras;
}

/** What the library needs from the media extras. */
export interface LibraryExtras {
  /** The poster and previews paths of a version, `null` while not rendered. */
  artifactsOf(name: string, etag: string): { poster: string | null; previews: string | null };
  /** Renders this version in the background unless it is done. */
  request(name: string, etag: string): void;
  /** The video is gone. */
  forget(name: string): void;
  /**
   * Drops cached extras of every version not in `current` (forgotten at once, files removed in
   * the background).
   */
  prune(current: Iterable<{ name: string; etag: string }>): Promise<void>;
}

/** The wire form of `sources`: each track's path on the subtitles route. */
function toTracks(filename: string, sources: SubtitleSource[]): VideoInfo["subtitles"] {
  return sources.map(({ lang, label }) => ({ lang, label, url: subtitlePathOf(filename, lang) }));
}

const PROBE_CONCURRENCY = 8; // videos read at once while reading headers
const PROGRESS_LOG_MS = 1000; // a progress line this often while the first scan runs

/** How far the first scan is: videos read so far of those listed (`total` 0 while listing). */
export interface ScanProgress {
  done: number;
  total: number;
}

/** The catalogue of one store, kept current by watching it. */
export class StoreLibrary implements Library {
  /**
   * Told of every entry stored (`entry`) or removed (`undefined`), during the first scan too, in
   * the order applied: a cluster's primary forwards them to its workers.
   */
  onEntry: (filename: string, entry: CatalogueEntry | undefined) => void = () => undefined;
  /**
   * Resolves once everything told to `onEntry` so far has reached whoever it is forwarded to
   * (the cluster's workers); `whenIdle` waits for it too.
   */
  whenDelivered: () => Promise<void> = () => Promise.resolve();

  private readonly entries = new Catalogue();
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
      this.requestExtras();
      logger.info({ videos: this.count, ms: Date.now() - startedAt }, "library scanned");
    } catch (error: unknown) {
      logger.error({ err: error }, "could not list the videos");
    } finally {
      clearInterval(ticker);
    }
    this.progress = undefined;
    this.markReady();
  }

  /**
   * After the complete first listing: drop cached extras of versions not listed (gone, or
   * replaced while Reel was down), then queue a render for every video that has none. Done
   * before `whenReady` resolves, so a test that awaits it can then await the extras' queue.
   */
  private requestExtras(): void {
    const { extras } = this.options;
    if (extras === undefined) {
      return;
    }
    const current = [...this.entries.values()].map((entry) => ({
      name: entry.info.filename,
      etag: entry.etag,
    }));
    extras.prune(current).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, "could not prune the extras cache");
    });
    for (const video of current) {
      extras.request(video.name, video.etag);
    }
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
  async whenIdle(): Promise<void> {
    await this.options.store.settled();
    await this.whenDelivered();
  }

  /** Every entry now (a new worker's starting point). */
  entriesNow(): CatalogueEntry[] {
    return [...this.entries.values()];
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
    return this.entries.info(filename);
  }

  /** The ETag of the version in the catalogue, or `undefined` when the name is not in it. */
  versionOf(filename: string): string | undefined {
    return this.entries.versionOf(filename);
  }

  /** The sidecar serving track `lang` of `filename`, or `undefined`. */
  subtitleSource(filename: string, lang: string): SubtitleSource | undefined {
    return this.entries.subtitleSource(filename, lang);
  }

  /**
   * The extras of this version are rendered (or failed): rebuilds its `VideoInfo` and announces
   * `changed` when that is still the version in the catalogue and its fields changed.
   */
  refreshExtras(filename: string, etag: string): void {
    const entry = this.entries.get(filename);
    const extras = this.options.extras;
    if (entry === undefined || entry.etag !== etag || extras === undefined) {
      return;
    }
    const artifacts = extras.artifactsOf(filename, etag);
    if (artifacts.poster === entry.info.poster && artifacts.previews === entry.info.previews) {
      return; // failed: nothing new to announce
    }
    const updated: CatalogueEntry = { ...entry, info: { ...entry.info, ...artifacts } };
    this.store(updated);
    this.options.onChange?.({ event: "changed", data: updated.info });
  }

  /** One page of the catalogue; throws `CursorError` for a cursor that does not decode. */
  list(query: ListVideosQuery): VideoList {
    return this.entries.list(query);
  }

  /** Applies one settled change to the catalogue and reports it. */
  private async apply(name: string, video: StoredVideo | undefined): Promise<void> {
    await this.ready; // the initial listing owns the catalogue until it is complete
    const known = this.entries.get(name);
    if (video === undefined && known === undefined && isSidecarFilename(name)) {
      await this.refreshSubtitles(name); // stores report sidecar changes as "not a video"
      return;
    }
    if (video === undefined) {
      if (known !== undefined) {
        this.remove(name);
        this.options.extras?.forget(name);
        this.options.onChange?.({ event: "removed", data: { filename: name } });
      }
      return;
    }
    if (known !== undefined && known.etag === video.etag) {
      return;
    }
    const entry = await this.probe(video);
    this.store(entry);
    this.options.extras?.request(name, entry.etag);
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
    const { store, extras } = this.options;
    let facts = video;
    let media = null;
    const handle = await store.open(video.name).catch(() => undefined);
    if (handle !== undefined) {
      try {
        facts = handle;
        media = await readMediaInfo(handle.name, handle.size, handle.read);
      } finally {
        handle.release();
      }
    }
    const subtitles = await this.subtitlesOf(video.name);
    const artifacts = extras?.artifactsOf(facts.name, facts.etag) ?? {
      poster: null,
      previews: null,
    };
    return {
      info: toVideoInfo(facts, media, {
        ...artifacts,
        subtitles: toTracks(video.name, subtitles),
      }),
      etag: facts.etag,
      subtitles,
      mtimeMs: facts.modifiedMs,
      lowerName: facts.name.toLowerCase(),
    };
  }

  /** The subtitle tracks among the sidecars of `filename` now (none when they cannot be listed). */
  private async subtitlesOf(filename: string): Promise<SubtitleSource[]> {
    const sidecars = await this.options.store.sidecarsOf(filename).catch((error: unknown) => {
      this.options.logger.warn({ err: error, filename }, "could not list sidecars");
      return [];
    });
    return subtitleSourcesOf(
      filename,
      sidecars.map((sidecar) => sidecar.name),
    );
  }

  /**
   * A sidecar was added, replaced or removed: reads the tracks of every video it may belong to
   * again and announces `changed` for those whose `subtitles` differ.
   */
  private async refreshSubtitles(sidecar: string): Promise<void> {
    for (const entry of [...this.entries.values()]) {
      const { filename } = entry.info;
      if (!sidecar.startsWith(`${stemOf(filename)}.`)) {
        continue;
      }
      const subtitles = await this.subtitlesOf(filename);
      const current = this.entries.get(filename);
      if (current === undefined || current.etag !== entry.etag) {
        continue; // replaced or removed meanwhile: that change read the sidecars itself
      }
      const tracks = toTracks(filename, subtitles);
      const changed = JSON.stringify(tracks) !== JSON.stringify(current.info.subtitles);
      const updated = { ...current, subtitles, info: { ...current.info, subtitles: tracks } };
      this.store(updated); // the sources may change while the tracks look the same (.srt → .vtt)
      if (changed) {
        this.options.onChange?.({ event: "changed", data: updated.info });
      }
    }
  }

  private store(entry: CatalogueEntry): void {
    this.entries.set(entry);
    this.onEntry(entry.info.filename, entry);
  }

  private remove(filename: string): void {
    this.entries.delete(filename);
    this.onEntry(filename, undefined);
  }
}
