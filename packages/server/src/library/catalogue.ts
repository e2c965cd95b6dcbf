/**
 * The in-memory catalogue behind a library: entries by name, and each sort order computed once
 * per change. No I/O: `StoreLibrary` fills it from the store, a cluster worker's
 * `FollowerLibrary` from the primary's messages, and both answer the routes from it.
 */
import type { ListVideosQuery, VideoInfo, VideoList } from "../openapi/schemas.js";
import type { SubtitleSource } from "../subtitles/tracks.js";
import { type ListEntry, selectPage, sortEntries } from "./page.js";

/** One video of the catalogue: its `VideoInfo` and what serving its extras needs. */
export interface CatalogueEntry extends ListEntry {
  /** The version the entry describes (the store's ETag). */
  etag: string;
  /** The sidecars its subtitle tracks are served from. */
  subtitles: SubtitleSource[];
}

/** Entries by filename, with the listing's sort orders cached until the next change. */
export class Catalogue {
  private readonly entries = new Map<string, CatalogueEntry>();
  private readonly sorted = new Map<ListVideosQuery["sort"], ListEntry[]>();

  /** Number of videos. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry of `filename`, or `undefined`. */
  get(filename: string): CatalogueEntry | undefined {
    return this.entries.get(filename);
  }

  /** Every entry, in no particular order. */
  values(): IterableIterator<CatalogueEntry> {
    return this.entries.values();
  }

  /** Adds or replaces the entry of `entry.info.filename`. */
  set(entry: CatalogueEntry): void {
    this.entries.set(entry.info.filename, entry);
    this.sorted.clear();
  }

  /** Removes `filename` (nothing when it is not there). */
  delete(filename: string): void {
    if (this.entries.delete(filename)) {
      this.sorted.clear();
    }
  }

  /** One `VideoInfo`, or `undefined`. */
  info(filename: string): VideoInfo | undefined {
    return this.entries.get(filename)?.info;
  }

  /** The ETag of the version in the catalogue, or `undefined` when the name is not in it. */
  versionOf(filename: string): string | undefined {
    return this.entries.get(filename)?.etag;
  }

  /** The sidecar serving track `lang` of `filename`, or `undefined`. */
  subtitleSource(filename: string, lang: string): SubtitleSource | undefined {
    return this.entries.get(filename)?.subtitles.find((track) => track.lang === lang);
  }

  /** One page; throws `CursorError` for a cursor that does not decode. */
  list(query: ListVideosQuery): VideoList {
    let sorted = this.sorted.get(query.sort);
    if (sorted === undefined) {
      sorted = sortEntries(this.entries.values(), query.sort);
      this.sorted.set(query.sort, sorted);
    }
    return selectPage(sorted, query);
  }
}
