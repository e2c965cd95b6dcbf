/**
 * The composition root: builds a whole Reel (store, library, event hub, app) from a validated
 * config, the same way for `main.ts` and for the tests, and shuts it down in the right order.
 */
import type { Agent } from "node:http";
import type Koa from "koa";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import type { Config } from "./config.js";
import { EventHub, type EventHubOptions } from "./events/event-hub.js";
import { libraryCacheDir } from "./extras/cache.js";
import { MediaExtras } from "./extras/media-extras.js";
import { findMediaTools, type ToolLookup } from "./extras/tools.js";
import { Library } from "./library/library.js";
import type { VideoFilesOptions } from "./storage/directory/descriptor-cache.js";
import { createDirectoryStore } from "./storage/directory/directory-store.js";
import type { VideoStore } from "./storage/store.js";

/** A built Reel, not listening yet. */
export interface Reel {
  app: Koa;
  store: VideoStore;
  library: Library;
  hub: EventHub;
  /** Posters and seek previews, rendered in the background. */
  extras: MediaExtras;
  /**
   * Stops the live library (ends every event stream, so a server's `close()` is not held open
   * by them) and then the store (descriptors still being read close when their reader ends).
   * Call it before closing the server's connections.
   */
  close(): void;
}

/** Tuning for tests; production uses the defaults. */
export interface ReelOptions {
  /** Descriptor cache tuning of the directory store. */
  fileCache?: VideoFilesOptions;
  hub?: EventHubOptions;
  /** The object store's plain-HTTP agent (tests inspect its sockets); a new one by default. */
  s3HttpAgent?: Agent;
  /** A built web player to serve at `/` (`reel serve`); none in development, where Vite serves it. */
  playerDir?: string;
  /** ms between the first scan's progress lines (default 1000). */
  scanProgressLogMs?: number;
}

/**
 * Builds store → library → hub → app from `config`. The library is started here but not awaited:
 * listing routes wait for its first scan, the stream route never needs it. Await
 * `reel.library.whenReady()` when that matters.
 */
export async function createReel(
  config: Config,
  logger: Logger,
  options: ReelOptions = {},
): Promise<Reel> {
  const store = await createStore(config, logger, options);
  const hub = new EventHub(options.hub);
  const tools: ToolLookup = config.extras
    ? findMediaTools(config.ffmpegPath)
    : { found: false, reason: "turned off (EXTRAS=off)" };
  const extras = new MediaExtras({
    tools,
    cacheDir: libraryCacheDir(config.cacheDir, store.location),
    concurrency: config.extrasConcurrency,
    timeoutMs: config.extrasTimeoutMs,
    logger,
    source: (name) => store.mediaSource(name),
  });
  const status = extras.status();
  if (status.enabled) {
    logger.info({ cacheDir: config.cacheDir }, "posters and seek previews are on");
  } else {
    // Said once, here; /api/health keeps saying it.
    logger.warn({ reason: status.reason }, "posters and seek previews are off");
  }
  const library = new Library({
    store,
    logger,
    extras,
    onChange: (change) => hub.publish(change),
    progressLogMs: options.scanProgressLogMs,
  });
  extras.onReady = (name, etag) => library.refreshExtras(name, etag);
  library.start().catch((error: unknown) => {
    logger.error({ err: error }, "library scan failed");
  });
  const app = createApp({
    config,
    logger,
    store,
    library,
    hub,
    extras,
    playerDir: options.playerDir,
  });
  return {
    app,
    store,
    library,
    hub,
    extras,
    close() {
      extras.close();
      library.close();
      hub.close();
      store.close();
    },
  };
}

/** The store `config.store` names: the directory `VIDEO_DIR`, or the bucket of `VIDEO_STORE`. */
async function createStore(
  config: Config,
  logger: Logger,
  options: ReelOptions,
): Promise<VideoStore> {
  if (config.store.kind === "s3") {
    // Loaded only for a bucket: the AWS SDK costs ~30 MB resident that a directory never needs.
    const [{ createS3Client }, { createS3Store }] = await Promise.all([
      import("./storage/s3/s3-client.js"),
      import("./storage/s3/s3-store.js"),
    ]);
    const { bucket, prefix, endpoint, region, pollMs, credentials } = config.store;
    const client = createS3Client({ endpoint, region, credentials }, options.s3HttpAgent);
    return createS3Store({ client, bucket, prefix, pollMs, logger });
  }
  return createDirectoryStore({
    videoDir: config.videoDir,
    chunkSize: config.chunkSize,
    stableMs: config.stableMs,
    logger,
    fileCache: options.fileCache,
  });
}
