/**
 * The storage seam: everything the HTTP layer needs from wherever videos live, and nothing more.
 * The routes, the library, the describe route and the live events depend only on this interface;
 * `storage/directory/` is the first implementation (a local folder). Modelled on tus-node-server's
 * `DataStore` and Go's `ServeContent(…, modtime, content io.ReadSeeker)`: the HTTP cores own the
 * protocol (ranges, validators, multipart); a store only answers "which names", "how big, which
 * version" and "give me bytes a–b".
 */
import type { Writable } from "node:stream";

/** One servable video as the store sees it now. */
export interface StoredVideo {
  /** The video's name: one validated path segment (`storage/names.ts`). */
  name: string;
  /** Bytes. */
  size: number;
  /** Strong entity tag, quotes included (RFC 9110 §8.8.3); changes with any new content. */
  etag: string;
  /** `Last-Modified`, an IMF-fixdate in whole seconds (RFC 9110 §8.8.2). */
  lastModified: string;
  /** The modification time at full precision, ms since the epoch (for listing and sorting). */
  modifiedMs: number;
}

/**
 * An open, versioned video: every read returns bytes of the version described by `size` and
 * `etag`, or fails. Whoever holds it calls `release` exactly once when done.
 */
export interface VideoHandle extends StoredVideo {
  /**
   * `true` when `size` and the validators were read from the store for this handle; `false` when
   * they come from the store's last listing (`OpenOptions.fresh` unset) and may be up to one
   * poll old. Reads stay exact either way: each checks the version it was given (an object
   * store's `If-Match`) and fails with `RepresentationChangedError` instead of mixing versions.
   */
  readonly fresh: boolean;
  /**
   * Reads bytes `start..end` (inclusive) into one Buffer: for small bodies and header probes.
   * The result is shorter than asked when the representation ended early (it shrank).
   * @throws the store's I/O error.
   */
  read(start: number, end: number): Promise<Buffer>;
  /**
   * Writes bytes `start..end` (inclusive) into `sink` in store-sized chunks, honouring `sink`'s
   * backpressure, without ending it. Resolves when every byte was handed to `sink`, or as soon as
   * `sink` is destroyed (nothing more to do; no read left in flight).
   * @throws {RepresentationChangedError} when fewer bytes exist than promised (shrank, replaced).
   * @throws the store's I/O error.
   */
  pipe(sink: Writable, start: number, end: number): Promise<void>;
  /** Gives the handle back; idempotent. The store may close what backs it after this. */
  release(): void;
}

/** How `VideoStore.open` may learn a video's facts. */
export interface OpenOptions {
  /**
   * Read size and validators from the store now. Unset, a store may answer from its last listing
   * (an object store saves a HEAD round trip per request; see `VideoHandle.fresh`).
   */
  fresh?: boolean;
}

/** A subtitle file beside a video (`NAME.vtt`, `NAME.srt`, `NAME.LANG.vtt|srt`). */
export interface StoredSidecar {
  /** The sidecar's own name, one segment (`storage/names.ts` `isSidecarFilename`). */
  name: string;
  /** Strong entity tag of its current content, quotes included. */
  etag: string;
  /** Bytes. */
  size: number;
}

/** A sidecar's content: small text, read whole. */
export interface SidecarContent {
  etag: string;
  text: string;
}

/** Sidecars larger than this are not read (bytes); subtitles of a feature film are ~100 KB. */
export const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

/** Receives settled changes from `VideoStore.watch`. */
export interface StoreListener {
  /**
   * `name` changed: `video` is what it is now, or `undefined` when it is gone or no longer
   * servable. Calls for one name never overlap; the store waits for the returned promise.
   */
  onChange(name: string, video: StoredVideo | undefined): Promise<void>;
}

/** Where videos live: a folder today, object storage next. */
export interface VideoStore {
  /** For logs: the directory path or the bucket URL. */
  readonly location: string;
  /** Every servable video now. */
  list(): Promise<StoredVideo[]>;
  /** One video now; `undefined` when `name` is not a servable video. */
  stat(name: string): Promise<StoredVideo | undefined>;
  /** Opens `name`; `undefined` when it is not a servable video. Release the handle when done. */
  open(name: string, options?: OpenOptions): Promise<VideoHandle | undefined>;
  /**
   * The sidecar subtitle files beside `name`: those named `STEM.…` (`STEM` = `name` without its
   * extension) that are sidecar names (`.vtt`, `.srt`). Which of them are tracks is decided by
   * `library/subtitles.ts`. Empty when there are none.
   * @throws {StorageUnavailableError} when the store cannot be reached.
   */
  sidecarsOf(name: string): Promise<StoredSidecar[]>;
  /**
   * Reads the sidecar `name` whole; `undefined` when it is missing, not a sidecar name, or larger
   * than `MAX_SIDECAR_BYTES`.
   * @throws {StorageUnavailableError} when the store cannot be reached.
   */
  readSidecar(name: string): Promise<SidecarContent | undefined>;
  /**
   * An input ffmpeg can open for the video `name` without Reel holding its bytes: a `file:` path
   * (directory) or a time-limited presigned `https://` / `http://` URL (object store; ffmpeg reads
   * it with ranged GETs). `undefined` when `name` is not a servable video.
   */
  mediaSource(name: string): Promise<string | undefined>;
  /**
   * Reports changes after the listing this call starts from: a video added, replaced, removed.
   * A store reports a video only once it has settled (a file still being written is not).
   * Returns a function that stops watching.
   */
  watch(listener: StoreListener): () => void;
  /**
   * Resolves once every change the store has noticed so far is settled and delivered to the
   * listener (for tests and diagnostics; a change not yet noticed is not waited for).
   */
  settled(): Promise<void>;
  /**
   * Whether the store answered its last request (false while it cannot be reached). A directory
   * is always available; an object store is not while its endpoint is down.
   */
  readonly available: boolean;
  /** Resources held open right now (descriptors, store responses being read): for leak checks. */
  openCount(): number;
  /** Stops watching and gives back what the store holds open (handles in use close on release). */
  close(): void;
}

/** The bytes of a representation ran out before the promised end: it shrank or was replaced. */
export class RepresentationChangedError extends Error {
  override name = "RepresentationChangedError";
  constructor(
    readonly videoName: string,
    /** The byte offset that could not be read. */
    readonly position: number,
  ) {
    super(`${videoName} shrank or changed while sending byte ${position}`);
  }
}

/** The store could not be reached (refused, timed out, 5xx): answered 503 with `Retry-After`. */
export class StorageUnavailableError extends Error {
  override name = "StorageUnavailableError";
  constructor(
    /** The store's `location`. */
    readonly location: string,
    override readonly cause: unknown,
  ) {
    super(`Storage unavailable: ${location}`);
  }
}
