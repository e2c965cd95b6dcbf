/**
 * The `VideoStore` over S3-compatible object storage: a video is the object `PREFIX/NAME` (never
 * normalised; only names `storage/names.ts` accepts become keys), listed with paginated
 * `ListObjectsV2` (direct children only), read with one explicit `Range: bytes=a-b` per range and
 * `If-Match: <the object's ETag>`, so an object replaced mid-response is never spliced, and
 * watched by polling the listing (object stores have no inotify).
 */
import type { Readable, Writable } from "node:stream";
import {
  type _Object,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Logger } from "pino";
import { isServableFilename, isSidecarFilename, stemOf } from "../names.js";
import {
  MAX_SIDECAR_BYTES,
  RepresentationChangedError,
  type SidecarContent,
  StorageUnavailableError,
  type StoredSidecar,
  type StoredVideo,
  type StoreListener,
  type VideoHandle,
  type VideoStore,
} from "../store.js";

/** How to build an S3 store. */
export interface S3StoreOptions {
  /** The store takes it over: `close()` destroys it. */
  client: S3Client;
  bucket: string;
  /** Key prefix without a trailing `/`; `""` for the bucket's top level. */
  prefix: string;
  /** Milliseconds between listings that find added, replaced and removed objects. */
  pollMs: number;
  logger: Logger;
}

/** A `VideoStore` over `s3://bucket/prefix`. */
export function createS3Store(options: S3StoreOptions): VideoStore {
  const { client, bucket, pollMs, logger } = options;
  const keyPrefix = options.prefix === "" ? "" : `${options.prefix}/`;
  const known = new Map<string, StoredVideo>();
  let knownSidecars = new Map<string, string>(); // sidecar name → ETag, as last listed
  let available = true;
  let reading = 0; // GetObject responses being read: each holds one of the agent's sockets
  let pollTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();

  /** Runs one store request, turning "could not reach the store" into `StorageUnavailableError`. */
  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      const result = await request();
      available = true;
      return result;
    } catch (error: unknown) {
      if (isUnreachable(error)) {
        available = false;
        throw new StorageUnavailableError(`s3://${bucket}/${options.prefix}`, error);
      }
      available = true;
      throw error;
    }
  }

  const keyOf = (name: string) => keyPrefix + name;

  /**
   * The direct children of `keyPrefix + under` as `[name, object]`, page after page of
   * ListObjectsV2 (`Delimiter: "/"`: `PREFIX/a/b.mp4` is not a child).
   */
  async function* listChildren(under = ""): AsyncGenerator<[string, _Object]> {
    let token: string | undefined;
    do {
      const page = await call(() =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: keyPrefix + under,
            Delimiter: "/",
            ContinuationToken: token,
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        yield [(object.Key ?? "").slice(keyPrefix.length), object];
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /** Every video object; also records the sidecar objects' ETags in `sidecarsSeen`. */
  async function list(sidecarsSeen?: Map<string, string>): Promise<StoredVideo[]> {
    const videos: StoredVideo[] = [];
    for await (const [name, object] of listChildren()) {
      if (isServableFilename(name) && object.ETag !== undefined) {
        videos.push(
          storedVideo(name, object.Size ?? 0, object.ETag, object.LastModified ?? new Date(0)),
        );
      } else if (isSidecarFilename(name) && object.ETag !== undefined) {
        sidecarsSeen?.set(name, object.ETag);
      }
    }
    return videos;
  }

  async function stat(name: string): Promise<StoredVideo | undefined> {
    if (!isServableFilename(name)) {
      return undefined;
    }
    try {
      const head = await call(() =>
        client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(name) })),
      );
      if (head.ETag === undefined) {
        return undefined;
      }
      return storedVideo(
        name,
        head.ContentLength ?? 0,
        head.ETag,
        head.LastModified ?? new Date(0),
      );
    } catch (error: unknown) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw error;
    }
  }

  /** One ranged GetObject of the version `etag`; a 412 or 416 means that version is gone. */
  async function getRange(
    video: StoredVideo,
    start: number,
    end: number,
    signal?: AbortSignal,
  ): Promise<Readable> {
    try {
      const answer = await call(() =>
        client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: keyOf(video.name),
            Range: `bytes=${start}-${end}`,
            IfMatch: video.etag,
          }),
          { abortSignal: signal },
        ),
      );
      return answer.Body as Readable; // Node's SDK runtime always answers with a Readable body
    } catch (error: unknown) {
      const status = statusOf(error);
      if (status === 412 || status === 416 || status === 404) {
        throw new RepresentationChangedError(video.name, start);
      }
      throw error;
    }
  }

  function handleOf(video: StoredVideo, fresh: boolean): VideoHandle {
    return {
      ...video,
      fresh,
      async read(start, end) {
        const body = await getRange(video, start, end);
        const chunks: Buffer[] = [];
        for await (const chunk of body) {
          chunks.push(chunk as Buffer); // a Node Readable without encoding yields Buffers
        }
        return Buffer.concat(chunks);
      },
      pipe: (sink, start, end) => pipeRange(video, sink, start, end),
      release() {
        // Nothing is held between requests: every read is its own GetObject.
      },
    };
  }

  /** Streams one ranged GetObject into `sink` with backpressure; see `VideoHandle.pipe`. */
  async function pipeRange(
    video: StoredVideo,
    sink: Writable,
    start: number,
    end: number,
  ): Promise<void> {
    if (sink.destroyed) {
      return;
    }
    const abort = new AbortController();
    const onEarlyClose = () => abort.abort();
    sink.once("close", onEarlyClose);
    let body: Readable;
    try {
      body = await getRange(video, start, end, abort.signal);
    } catch (error: unknown) {
      if (sink.destroyed) {
        return; // the client went away while the store was answering
      }
      throw error;
    } finally {
      sink.off("close", onEarlyClose);
    }
    reading += 1;
    return new Promise<void>((resolve, reject) => {
      let sent = 0;
      let over = false;
      const expected = end - start + 1;
      const finish = (error?: Error) => {
        if (over) {
          return;
        }
        over = true;
        sink.off("close", onClose);
        sink.off("drain", onDrain);
        // Destroying the body gives its socket back to the agent at once (a leased socket that
        // is never read would hang every request once the pool is exhausted).
        body.destroy();
        reading -= 1;
        if (error === undefined) {
          resolve();
        } else {
          reject(error);
        }
      };
      const onClose = () => finish();
      const onDrain = () => body.resume();
      sink.on("close", onClose);
      sink.on("drain", onDrain);
      body.on("data", (chunk: Buffer) => {
        sent += chunk.length;
        if (!sink.write(chunk)) {
          body.pause();
        }
      });
      body.once("end", () => {
        finish(
          sent === expected ? undefined : new RepresentationChangedError(video.name, start + sent),
        );
      });
      body.once("error", (error) => finish(error));
    });
  }

  /** Objects `PREFIX/STEM.…` that are sidecar names: one listing of that key prefix. */
  async function sidecarsOf(name: string): Promise<StoredSidecar[]> {
    const found: StoredSidecar[] = [];
    for await (const [sidecar, object] of listChildren(`${stemOf(name)}.`)) {
      if (isSidecarFilename(sidecar) && object.ETag !== undefined) {
        found.push({ name: sidecar, etag: object.ETag, size: object.Size ?? 0 });
      }
    }
    return found;
  }

  async function readSidecar(name: string): Promise<SidecarContent | undefined> {
    if (!isSidecarFilename(name)) {
      return undefined;
    }
    try {
      const answer = await call(() =>
        client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(name) })),
      );
      const body = answer.Body as Readable; // Node's SDK runtime always answers with a Readable
      if (answer.ETag === undefined || (answer.ContentLength ?? 0) > MAX_SIDECAR_BYTES) {
        body.destroy(); // gives the socket back without reading a body we refuse
        return undefined;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of body) {
        chunks.push(chunk as Buffer); // a Node Readable without encoding yields Buffers
      }
      return { etag: answer.ETag, text: Buffer.concat(chunks).toString("utf8") };
    } catch (error: unknown) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw error;
    }
  }

  async function poll(listener: StoreListener): Promise<void> {
    let videos: StoredVideo[];
    const sidecars = new Map<string, string>();
    try {
      videos = await list(sidecars);
    } catch (error: unknown) {
      logger.warn({ err: error }, "could not list the object store");
      return;
    }
    const seen = new Set<string>();
    for (const video of videos) {
      seen.add(video.name);
      const before = known.get(video.name);
      if (before === undefined || before.etag !== video.etag) {
        known.set(video.name, video);
        await listener.onChange(video.name, video);
      }
    }
    for (const name of [...known.keys()]) {
      if (!seen.has(name)) {
        known.delete(name);
        await listener.onChange(name, undefined);
      }
    }
    // A sidecar added, replaced or removed is reported as "not a video" under its own name: the
    // library then reads the subtitles of the video it belongs to again.
    for (const name of new Set([...sidecars.keys(), ...knownSidecars.keys()])) {
      if (sidecars.get(name) !== knownSidecars.get(name)) {
        await listener.onChange(name, undefined);
      }
    }
    knownSidecars = sidecars;
  }

  return {
    location: `s3://${bucket}/${options.prefix}`,
    get available() {
      return available;
    },
    async list() {
      const sidecars = new Map<string, string>();
      const videos = await list(sidecars);
      knownSidecars = sidecars;
      known.clear();
      for (const video of videos) {
        known.set(video.name, video);
      }
      return videos;
    },
    stat,
    async open(name, openOptions) {
      // The last listing's facts save a HeadObject round trip per request; every ranged read
      // still carries If-Match, so a replacement since that listing fails the read (and the
      // route asks again with `fresh`) instead of splicing versions.
      const listed = openOptions?.fresh === true ? undefined : known.get(name);
      if (listed !== undefined) {
        return handleOf(listed, false);
      }
      const video = await stat(name);
      return video === undefined ? undefined : handleOf(video, true);
    },
    sidecarsOf,
    readSidecar,
    async mediaSource(name) {
      if (!isServableFilename(name)) {
        return undefined;
      }
      // A presigned GET: ffmpeg reads the object itself with ranged requests, so Reel never
      // holds its bytes. Signing is local (no request), so a missing object fails in ffmpeg.
      return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: keyOf(name) }), {
        expiresIn: PRESIGNED_SECONDS,
      });
    },
    watch(listener) {
      const tick = () => {
        // Never two listings at once: a slow store delays the next poll instead of piling up.
        polling = polling.then(() => poll(listener));
      };
      pollTimer = setInterval(tick, pollMs).unref();
      return () => clearInterval(pollTimer);
    },
    settled: () => polling,
    openCount: () => reading,
    close() {
      clearInterval(pollTimer);
      client.destroy();
    },
  };
}

const PRESIGNED_SECONDS = 3600; // a render reading the object must finish within an hour

/**
 * A `StoredVideo` from an object's facts. HeadObject's `Last-Modified` has whole seconds, but a
 * listing may carry milliseconds (the RADOS Gateway's does): both are cut to the second, so the
 * facts of one object are the same whichever request (or replica) learned them.
 */
function storedVideo(name: string, size: number, etag: string, modified: Date): StoredVideo {
  const wholeSeconds = new Date(Math.floor(modified.getTime() / 1000) * 1000);
  return {
    name,
    size,
    etag,
    lastModified: wholeSeconds.toUTCString(),
    modifiedMs: wholeSeconds.getTime(),
  };
}

/** The HTTP status of an SDK error (`$metadata.httpStatusCode`), if it has one. */
function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "$metadata" in error) {
    const metadata: unknown = error.$metadata;
    if (typeof metadata === "object" && metadata !== null && "httpStatusCode" in metadata) {
      return typeof metadata.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
    }
  }
  return undefined;
}

/** True when the store could not be reached or answered 5xx (refused, reset, timed out). */
function isUnreachable(error: unknown): boolean {
  if (error instanceof Error && error.name === "AbortError") {
    return false; // our own cancellation, not the store's fault
  }
  const status = statusOf(error);
  return status === undefined || status >= 500;
}
