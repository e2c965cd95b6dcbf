/**
 * The composition root: builds a whole Reel (store, library, event hub, app) from a validated
 * config, the same way for `main.ts` and for the tests, and shuts it down in the right order.
 * `createLeader` is the part that owns the store (scans, watches, probes, renders, numbers the
 * events): in one process it serves the app too (`createReel`); in a cluster it lives in the
 * primary, and each worker builds its app around copies (cluster/worker.ts).
 */
import type { Agent } from "node:http";
import type Koa from "koa";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import type { Config } from "./config.js";
import { EventHub, type EventHubOptions } from "./events/event-hub.js";
import { libraryCacheDir } from "./extras/cache.js";
import { ExtrasRenderer } from "./extras/media-extras.js";
import { findMediaTools, type ToolLookup } from "./extras/tools.js";
import { StoreLibrary } from "./library/library.js";
import { createStore } from "./storage/create-store.js";
import type { VideoFilesOptions } from "./storage/directory/descriptor-cache.js";
import type { VideoStore } from "./storage/store.js";

/** The parts that own the store, built and started, serving nothing yet. */
export interface Leader {
  store: VideoStore;
  library: StoreLibrary;
  hub: EventHub;
  /** Posters and seek previews, rendered in the background. */
  extras: ExtrasRenderer;
  /**
   * Stops the live library (ends every event stream, so a server's `close()` is not held open
   * by them) and then the store (descriptors still being read close when their reader ends).
   * Call it before closing the server's connections.
   */
  close(): void;
}

/** A built Reel, not listening yet. */
export interface Reel extends Leader {
  app: Koa;
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
  const leader = await createLeader(config, logger, options);
  const app = createApp({
    config,
    logger,
    store: leader.store,
    library: leader.library,
    hub: leader.hub,
    extras: leader.extras,
    playerDir: options.playerDir,
  });
  return { ...leader, app };
}

/** Builds store → library → hub → extras and starts the library's first scan (not awaited). */
export async function createLeader(
  config: Config,
  logger: Logger,
  options: Omit<ReelOptions, "playerDir"> = {},
): Promise<Leader> {
  const store = await createStore(config, logger, options);
  const hub = new EventHub(options.hub);
  const tools: ToolLookup = config.extras
    ? findMediaTools(config.ffmpegPath)
    : { found: false, reason: "turned off (EXTRAS=off)" };
  const extras = new ExtrasRenderer({
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
  const library = new StoreLibrary({
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
  return {
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
