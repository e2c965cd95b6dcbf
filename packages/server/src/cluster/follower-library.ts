/**
 * A cluster worker's library: a copy of the primary's catalogue, kept by the primary's messages
 * (cluster/messages.ts). It never touches the store: no listing, no watching, no media probes.
 */
import { Catalogue } from "../library/catalogue.js";
import type { CatalogueEntry, Library, ScanProgress } from "../library/library.js";
import type { ListVideosQuery, VideoInfo, VideoList } from "../openapi/schemas.js";
import type { SubtitleSource } from "../subtitles/tracks.js";

/** The primary's catalogue, mirrored. */
export class FollowerLibrary implements Library {
  private readonly entries = new Catalogue();
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private progress: ScanProgress | undefined;
  private isReady = false;
  private primaryCount = 0;

  constructor() {
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  /** Stores (or replaces) the entry of `filename`; `undefined` removes it. */
  apply(filename: string, entry: CatalogueEntry | undefined): void {
    if (entry === undefined) {
      this.entries.delete(filename);
    } else {
      this.entries.set(entry);
    }
  }

  /** Replaces the whole catalogue (the primary's, once its first scan is done). */
  replaceAll(entries: Iterable<CatalogueEntry>): void {
    for (const entry of [...this.entries.values()]) {
      this.entries.delete(entry.info.filename);
    }
    for (const entry of entries) {
      this.entries.set(entry);
    }
  }

  /**
   * The primary's first scan: running (its progress and count so far; the entries follow once it
   * is done, in one message) or done.
   */
  setScan(ready: boolean, progress: ScanProgress | undefined, count: number): void {
    this.progress = ready ? undefined : progress;
    this.primaryCount = count;
    if (ready && !this.isReady) {
      this.isReady = true;
      this.markReady();
    }
  }

  get count(): number {
    return this.isReady ? this.entries.size : this.primaryCount;
  }

  get scanning(): ScanProgress | undefined {
    return this.progress === undefined ? undefined : { ...this.progress };
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Nothing is pending here: the primary's `whenIdle` waits for every worker to catch up. */
  whenIdle(): Promise<void> {
    return Promise.resolve();
  }

  get(filename: string): VideoInfo | undefined {
    return this.entries.info(filename);
  }

  versionOf(filename: string): string | undefined {
    return this.entries.versionOf(filename);
  }

  subtitleSource(filename: string, lang: string): SubtitleSource | undefined {
    return this.entries.subtitleSource(filename, lang);
  }

  list(query: ListVideosQuery): VideoList {
    return this.entries.list(query);
  }
}
