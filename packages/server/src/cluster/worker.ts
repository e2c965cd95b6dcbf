/**
 * A cluster worker's entry point (`cluster.setupPrimary({ exec })` in cluster/primary.ts): serves
 * the app on the shared port from copies of the primary's catalogue, events and extras, and its
 * own store handle for the video bytes. It never lists or watches the store, never probes media
 * and never runs ffmpeg; so it loads neither the media parsers nor the renderer.
 */
import type { Logger } from "pino";
import { createApp } from "../app.js";
import type { Config } from "../config.js";
import { EventHub } from "../events/event-hub.js";
import type { ReadyManifest } from "../extras/artifacts.js";
import type { CatalogueEntry } from "../library/library.js";
import { createLogger } from "../logger.js";
import { createStore } from "../storage/create-store.js";
import type { VideoStore } from "../storage/store.js";
import { createReelServer, type ReelServer } from "../transport/create-server.js";
import { listen } from "../transport/listen.js";
import { FollowerExtras } from "./follower-extras.js";
import { FollowerLibrary } from "./follower-library.js";
import {
  decodePrimaryMessage,
  fromWireConfig,
  type PrimaryMessage,
  type SharedState,
  type StartMessage,
  type WireEntry,
  type WorkerMessage,
} from "./messages.js";

const STOP_DEADLINE_MS = 5000; // then exit anyway, as the single process does

/** The follower parts, built synchronously from the start message. */
interface Follower {
  config: Config;
  logger: Logger;
  library: FollowerLibrary;
  extras: FollowerExtras;
  hub: EventHub;
  /** The primary's store is reachable (health and listings answer 503 while it is not). */
  storeAvailable: boolean;
  /** Calls to the store's `list` and `watch` (none are expected: the primary scans). */
  listings: number;
  store: VideoStore | undefined;
  transport: ReelServer | undefined;
}

/**
 * Sends `message` to the primary while the channel is open; a primary already gone (EPIPE while
 * it shuts down) is not an unhandled error: the worker is about to be stopped anyway.
 */
function send(message: WorkerMessage): void {
  if (process.connected) {
    process.send?.(message, undefined, undefined, () => undefined);
  }
}

/** A wire entry as the catalogue keeps it, and the manifest of its rendered extras. */
function splitEntry(wire: WireEntry): {
  entry: CatalogueEntry;
  manifest: ReadyManifest | undefined;
} {
  const { extras, ...entry } = wire;
  return { entry, manifest: extras ?? undefined };
}

function applyEntry(follower: Follower, filename: string, wire: WireEntry | null): void {
  if (wire === null) {
    follower.library.apply(filename, undefined);
    follower.extras.apply(filename, undefined);
    return;
  }
  const { entry, manifest } = splitEntry(wire);
  follower.library.apply(filename, entry);
  follower.extras.apply(filename, manifest);
}

function applyCatalogue(follower: Follower, entries: WireEntry[]): void {
  const split = entries.map(splitEntry);
  follower.library.replaceAll(split.map(({ entry }) => entry));
  follower.extras.clear();
  for (const { entry, manifest } of split) {
    follower.extras.apply(entry.info.filename, manifest);
  }
}

function applyState(follower: Follower, state: SharedState): void {
  follower.library.setScan(state.ready, state.scanning ?? undefined, state.count);
  follower.extras.setStatus(state.extras);
  follower.storeAvailable = state.storeAvailable;
}

/** Builds the copies from the snapshot; synchronous, so no later message can overtake it. */
function createFollower(start: StartMessage): Follower {
  const config = fromWireConfig(start.config);
  const destination = start.forwardLogs
    ? { write: (line: string) => send({ type: "log", line }) }
    : undefined;
  const logger = createLogger(config.logLevel, destination).child({ worker: process.pid });
  const follower: Follower = {
    config,
    logger,
    library: new FollowerLibrary(),
    extras: new FollowerExtras(start.extrasDir, start.state.extras),
    hub: new EventHub({ from: start.hub }),
    storeAvailable: start.state.storeAvailable,
    listings: 0,
    store: undefined,
    transport: undefined,
  };
  applyCatalogue(follower, start.entries);
  applyState(follower, start.state);
  return follower;
}

/**
 * The worker's own store, except `available`, which is the primary's: it alone polls an object
 * store, so its view is the one the listing and health routes report (streams still fail on
 * their own with the worker's store errors). Counts `list` and `watch` calls for the stats.
 */
function withPrimaryAvailability(store: VideoStore, follower: Follower): VideoStore {
  return new Proxy(store, {
    get: (target, key) => {
      if (key === "available") {
        return follower.storeAvailable;
      }
      if (key === "list" || key === "watch") {
        follower.listings += 1;
      }
      return Reflect.get(target, key, target);
    },
  });
}

/** Opens the store, builds the app and listens on the shared port. */
async function serveFollower(follower: Follower, start: StartMessage): Promise<void> {
  const { config, logger } = follower;
  const store = await createStore(config, logger, { fileCache: start.fileCache });
  follower.store = store;
  const app = createApp({
    config,
    logger,
    store: withPrimaryAvailability(store, follower),
    library: follower.library,
    hub: follower.hub,
    extras: follower.extras,
    playerDir: start.playerDir,
  });
  const transport = createReelServer(app.callback(), config);
  follower.transport = transport;
  const { port } = await listen(transport.server, start.port, config.host);
  send({ type: "listening", pid: process.pid, port });
}

/** Ends the event streams and connections, closes the store, exits 0. */
function stop(follower: Follower): void {
  follower.hub.close();
  follower.store?.close();
  const exit = () => process.exit(0);
  if (follower.transport === undefined) {
    exit();
    return;
  }
  follower.transport.server.close(exit);
  follower.transport.closeAllConnections();
  setTimeout(exit, STOP_DEADLINE_MS).unref();
}

function handle(follower: Follower, message: PrimaryMessage): void {
  switch (message.type) {
    case "start":
      return; // only the first counts
    case "entry":
      applyEntry(follower, message.filename, message.entry);
      return;
    case "catalogue":
      applyCatalogue(follower, message.entries);
      return;
    case "event":
      follower.hub.relay(message.event);
      return;
    case "state":
      applyState(follower, message.state);
      return;
    case "sync":
      // Messages are handled one by one as they arrive, so everything sent before is applied.
      send({ type: "synced", token: message.token });
      return;
    case "query":
      send({
        type: "stats",
        token: message.token,
        stats: {
          pid: process.pid,
          openCount: follower.store?.openCount() ?? 0,
          eventStreams: follower.hub.connectionCount,
          listings: follower.listings,
          accepted: follower.transport?.acceptedConnections() ?? { h2: 0, "http/1.1": 0 },
        },
      });
      return;
    case "stop":
      stop(follower);
      return;
  }
}

function runWorker(): void {
  // Ctrl-C reaches the whole process group: the primary decides when workers stop.
  process.on("SIGINT", () => undefined);
  let follower: Follower | undefined;
  process.on("message", (raw: unknown) => {
    const message = decodePrimaryMessage(raw);
    if (message === undefined) {
      follower?.logger.error({ message: raw }, "ignored a message the primary should not send");
      return;
    }
    if (follower !== undefined) {
      handle(follower, message);
      return;
    }
    if (message.type !== "start") {
      return; // nothing is sent before the start message
    }
    const started = createFollower(message);
    follower = started;
    serveFollower(started, message).catch((error: unknown) => {
      send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    });
  });
  send({ type: "hello" });
}

runWorker();
