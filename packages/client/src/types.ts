/** The SDK's domain types: named views of the generated schema plus the helpers' own shapes. */
import type { Client } from "openapi-fetch";
import type { ByteRange, ContentRange } from "./range.js";
import type { components, operations, paths } from "./schema.js";

/** One servable video, as listed and described by the server. */
export type VideoInfo = components["schemas"]["VideoInfo"];
/** Facts read from the MP4 header, or `null` when it cannot be parsed. */
export type MediaInfo = components["schemas"]["MediaInfo"];
/** One live library event: `added`/`changed` carry a `VideoInfo`, `removed` the filename, `reset` a reason. */
export type LibraryEvent = components["schemas"]["LibraryEvent"];
/** One sidecar subtitle track of a video (`lang`, `label`, `url` of its WebVTT). */
export type SubtitleTrack = components["schemas"]["SubtitleTrack"];
/** Whether posters and seek previews are rendered, why not, and how many are pending. */
export type ExtrasStatus = components["schemas"]["ExtrasStatus"];
/** Liveness, the number of videos and the state of the media extras. */
export type Health = components["schemas"]["Health"];

/** One page of the library: `items`, `nextCursor` (pass it as `cursor`; `null` on the last page) and `total`. */
export type VideoList = components["schemas"]["VideoList"];

/** The listing query (`q`, `sort`, `order`, `limit`, `cursor`), as the OpenAPI document types it. */
export type ListVideosQuery = NonNullable<operations["listVideos"]["parameters"]["query"]>;

/** Options of a single request. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** The answer to `fetchRange`. */
export interface RangeResponse {
  /** 206 for the range asked (`bytes=0-` too); 200 when the server sent the whole file instead (a stale `If-Range`, an empty file). */
  status: 200 | 206;
  bytes: Uint8Array;
  /** The bytes' place in the file; for a 200 it spans the whole file. */
  contentRange: ContentRange;
  /** The file's strong ETag, for `If-Range` on the next request. */
  etag: string;
}

/** Options of `fetchRange`. */
export interface FetchRangeInit extends CallOptions {
  /** Honour the range only while the file still has this ETag; otherwise the server sends it whole. */
  ifRange?: string;
}

/** Download progress: bytes of the file held so far (resume offset included) and its size. */
export interface DownloadProgress {
  loaded: number;
  total: number;
}

/** Options of `download`. */
export interface DownloadOptions {
  /** Aborts the request and the transfer; the body then errors with the platform's `AbortError`. */
  signal?: AbortSignal;
  /** Called once at the start and as bytes arrive; `loaded` ends at `size`. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Resume: the bytes already held and the ETag they were read under. */
  from?: { offset: number; etag: string };
}

/** A started download: read `body` to get the bytes from `offset` to the end of the file. */
export interface Download {
  body: ReadableStream<Uint8Array>;
  /** Size of the whole file. */
  size: number;
  /** The file's strong ETag: keep it to resume later. */
  etag: string;
  /** Where `body` starts: `from.offset` when resumed, 0 when the file is sent whole. */
  offset: number;
}

/** The state of the live event stream, for a "live" indicator. */
export type WatchStatus = "connecting" | "open" | "retrying";

/** Options of `watchVideos`. */
export interface WatchOptions {
  /** Stops watching, like calling the returned unsubscribe function. */
  signal?: AbortSignal;
  onStatus?: (status: WatchStatus) => void;
  /** First reconnection delay, doubled after each failed attempt up to 30 s; default: the server's `retry:` or 1 s. */
  retryDelayMs?: number;
  /** Reconnect after this long without a byte (the server pings every 15 s); default 45 s. */
  idleTimeoutMs?: number;
  /** A failed connection (a `ReelApiError` or a network error) or an error thrown by `onEvent`. */
  onError?: (error: unknown) => void;
  /**
   * Resume after this event id: the first connection sends it as `Last-Event-ID`, as a reconnect
   * would, so the server replays what came after it (or sends `reset` when it no longer knows the
   * id). For handing the stream over, e.g. from one browser tab to another. Default: none.
   */
  lastEventId?: string;
  /**
   * Called whenever the stream's last event id changes, also by the bare `id:` the stream opens
   * with (which dispatches no event). Pass it as `lastEventId` to continue the stream elsewhere.
   */
  onLastEventId?: (id: string) => void;
}

/** The Reel SDK. */
export interface ReelClient {
  /** The typed openapi-fetch client, for anything the helpers do not cover. */
  raw: Client<paths>;
  /** The absolute API base URL, without a trailing slash. */
  baseUrl: string;
  /** One page of the library. */
  listVideos(query?: ListVideosQuery, init?: CallOptions): Promise<VideoList>;
  /** Every video matching the query, fetching page after page. */
  listAllVideos(query?: Omit<ListVideosQuery, "cursor">): AsyncIterable<VideoInfo>;
  /** One video's facts. */
  getVideo(filename: string, init?: CallOptions): Promise<VideoInfo>;
  /** Liveness and the number of videos. */
  getHealth(init?: CallOptions): Promise<Health>;
  /** The absolute, percent-encoded stream URL of a file, for `<video src>`. */
  videoUrl(filename: string): string;
  /**
   * The absolute poster URL of a file, for `<video poster>` / `<img src>`. It answers 404 while
   * `VideoInfo.poster` is `null` (not rendered yet, extras disabled or failed): check that first.
   */
  posterUrl(filename: string): string;
  /** The absolute URL of a file's seek-preview track (WebVTT thumbnails), when `previews` is set. */
  previewsUrl(filename: string): string;
  /** The absolute URL of a file's subtitle track `lang` (WebVTT), for `<track src>`. */
  subtitleUrl(filename: string, lang: string): string;
  /** Fetches one byte range into memory. */
  fetchRange(filename: string, range: ByteRange, init?: FetchRangeInit): Promise<RangeResponse>;
  /** Streams a file (or its rest, when resuming) with progress. */
  download(filename: string, options?: DownloadOptions): Promise<Download>;
  /** Follows the live library; returns the function that stops it. */
  watchVideos(onEvent: (event: LibraryEvent) => void, options?: WatchOptions): () => void;
}

/** What the helpers share: the raw client and the resolved base URL. */
export interface ClientContext {
  raw: Client<paths>;
  baseUrl: string;
}
