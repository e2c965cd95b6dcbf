/**
 * The primary of a cluster (`WORKERS` > 1): it owns the leader (store, library, extras, event
 * numbering) and serves no HTTP; `node:cluster` shares the port among the workers it forks
 * (round-robin on Linux). Each worker starts from a snapshot and then gets every change in the
 * order it happened (cluster/messages.ts). A worker that dies is replaced, after a pause that
 * grows while they keep dying.
 */

import cluster, { type Worker } from "node:cluster";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Logger } from "pino";
import type { Leader } from "../compose.js";
import { type Config, LOG_LEVELS } from "../config.js";
import type { CatalogueEntry } from "../library/library.js";
import { relayLogLine } from "../logger.js";
import { withNodeFlags } from "../runtime/node-flags.js";
import type { VideoFilesOptions } from "../storage/directory/descriptor-cache.js";
import { listen } from "../transport/listen.js";
import {
  decodeWorkerMessage,
  type PrimaryMessage,
  type SharedState,
  toWireConfig,
  type WireEntry,
  type WorkerStats,
} from "./messages.js";

const STATE_CHECK_MS = 100; // how often scan progress and extras status are compared and sent
const STOP_DEADLINE_MS = 8000; // a worker still running then is killed
const RESTART_MIN_MS = 100; // pause before replacing a worker after one recent crash
const RESTART_MAX_MS = 30_000; // the pause doubles per recent crash, up to this
const CRASH_WINDOW_MS = 60_000; // crashes older than this no longer lengthen the pause

/** How to run the cluster. */
export interface ClusterOptions {
  /** Worker processes (`WORKERS`). */
  workers: number;
  logger: Logger;
  /** A built web player the workers serve at `/`. */
  playerDir?: string | undefined;
  /** Workers send their log lines to `logger` rather than to stdout (tests read them). */
  forwardLogs?: boolean | undefined;
  /** Descriptor cache tuning of each worker's directory store (tests). */
  fileCache?: VideoFilesOptions | undefined;
  /** The worker's entry file and node flags; by default `workerEntry()`. */
  worker?: WorkerEntry | undefined;
}

/** A file `cluster.fork` runs, and the node flags to run it with. */
export interface WorkerEntry {
  exec: string;
  execArgv: string[];
}

/** A running cluster. */
export interface ClusterPrimary {
  /** The port the workers share. */
  port: number;
  /** The pids of the workers listening now. */
  pids(): number[];
  /** Resolves once every worker has applied everything sent to it so far. */
  synced(): Promise<void>;
  /** Resolves once `workers` workers listen (at once, unless one is being replaced). */
  whenListening(): Promise<void>;
  /** Each listening worker's figures (descriptors held, event streams open). */
  stats(): Promise<WorkerStats[]>;
  /** Stops every worker (event streams and connections end) and resolves once all exited. */
  stop(): Promise<void>;
}

/** A worker could not start (the port is taken, the store cannot be opened). */
export class ClusterStartError extends Error {
  override name = "ClusterStartError";
}

interface Slot {
  worker: Worker;
  /** It has its start message, so it gets every change from then on. */
  started: boolean;
  listening: boolean;
}

/**
 * The worker's entry file and the node flags to run it with: `dist/cluster/worker.js` as is, or
 * from the TypeScript sources (tests, `pnpm dev`) `src/cluster/worker.ts` through tsx's loader.
 * Set explicitly, not taken from `process.argv[1]`, which is `reel`, `main.js` or a test runner.
 */
function workerEntry(): WorkerEntry {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith(".ts")) {
    return { exec: join(dirname(self), "worker.js"), execArgv: withNodeFlags(process.execArgv) };
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return { exec: join(dirname(self), "worker.ts"), execArgv: withNodeFlags(["--import", tsx]) };
}

/**
 * Binds `host:port` once and lets go, before any worker is forked: the port every worker will
 * share (for `PORT=0` one chosen now, as each worker asking for "any port" under one key would
 * let two clusters in one process share a socket), and an address that cannot be bound fails
 * here with the same one line a single process gives, instead of in a worker (where node 20's
 * round-robin listen can also throw on the failed handle, printing a stack trace).
 * @throws {ClusterStartError} when the address cannot be bound (in use, not local, not permitted).
 */
async function claimPort(host: string, port: number): Promise<number> {
  const probe = createServer();
  let bound: number;
  try {
    ({ port: bound } = await listen(probe, port, host));
  } catch (error: unknown) {
    throw new ClusterStartError(String(error));
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return bound;
}

/**
 * Sends `message` to `worker` if it is still connected; a worker that died in between (EPIPE)
 * is the exit handler's business, not an unhandled error.
 */
function post(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) {
    worker.send(message, () => undefined);
  }
}

/**
 * Forks `options.workers` workers serving `config` from `leader`, and resolves once all listen.
 * @throws {ClusterStartError} when a worker fails to start (its message says why).
 */
export async function startPrimary(
  leader: Leader,
  config: Config,
  options: ClusterOptions,
): Promise<ClusterPrimary> {
  const { logger } = options;
  const port = await claimPort(config.host, config.port);
  const entry = options.worker ?? workerEntry();
  // Forwarded lines are filtered by the level of the logger they end up in.
  const forwardedLevel = LOG_LEVELS.find((level) => level === logger.level);
  const workerConfig =
    options.forwardLogs === true && forwardedLevel !== undefined
      ? { ...config, logLevel: forwardedLevel }
      : config;
  const slots = new Set<Slot>();
  let ready = false; // the leader's first scan is done and the catalogue was sent whole
  let stopping = false;
  let running = false; // every first worker listened
  let lastState = "";
  let nextToken = 0;
  const syncs = new Map<number, { waiting: Set<Worker>; resolve: () => void }>();
  const queries = new Map<
    number,
    { waiting: Set<Worker>; stats: WorkerStats[]; resolve: (stats: WorkerStats[]) => void }
  >();
  const listeners: Array<() => void> = [];
  const restarts = new Set<NodeJS.Timeout>();
  let crashes: number[] = [];
  let failStart: (error: Error) => void = () => undefined;

  const toWire = (catalogueEntry: CatalogueEntry): WireEntry => ({
    ...catalogueEntry,
    extras: leader.extras.readyManifest(catalogueEntry.info.filename, catalogueEntry.etag) ?? null,
  });
  const stateNow = (): SharedState => ({
    ready,
    count: leader.library.count,
    scanning: leader.library.scanning ?? null,
    extras: leader.extras.status(),
    storeAvailable: leader.store.available,
  });
  const broadcast = (message: PrimaryMessage) => {
    for (const { worker, started } of slots) {
      if (started && worker.isConnected()) {
        post(worker, message);
      }
    }
  };
  /** Sends the state when it changed since it was last sent. */
  const pushState = () => {
    const state = stateNow();
    const text = JSON.stringify(state);
    if (text !== lastState) {
      lastState = text;
      broadcast({ type: "state", state });
    }
  };
  const listeningCount = () => [...slots].filter((slot) => slot.listening).length;
  const notifyIfListening = () => {
    if (listeningCount() >= options.workers) {
      for (const resolve of listeners.splice(0)) {
        resolve();
      }
    }
  };
  /** `worker` answers no more: it no longer holds up a sync or a query. */
  const release = (worker: Worker) => {
    for (const [token, sync] of syncs) {
      sync.waiting.delete(worker);
      if (sync.waiting.size === 0) {
        syncs.delete(token);
        sync.resolve();
      }
    }
    for (const [token, query] of queries) {
      query.waiting.delete(worker);
      if (query.waiting.size === 0) {
        queries.delete(token);
        query.resolve(query.stats);
      }
    }
  };

  const fork = () => {
    cluster.setupPrimary({ exec: entry.exec, execArgv: entry.execArgv, args: [], silent: false });
    const worker = cluster.fork();
    const slot: Slot = { worker, started: false, listening: false };
    slots.add(slot);
    worker.on("message", (raw: unknown) => {
      const message = decodeWorkerMessage(raw);
      switch (message?.type) {
        case undefined:
          logger.error({ message: raw }, "ignored a message a worker should not send");
          return;
        case "hello":
          // The snapshot and the registration for changes happen in one turn: nothing falls
          // between them, and every later change follows on the same ordered channel.
          post(worker, {
            type: "start",
            config: toWireConfig(workerConfig),
            playerDir: options.playerDir,
            extrasDir: leader.extras.cacheDir,
            forwardLogs: options.forwardLogs ?? false,
            fileCache: options.fileCache ?? {},
            port,
            entries: ready ? leader.library.entriesNow().map(toWire) : [],
            hub: leader.hub.snapshot(),
            state: stateNow(),
          } satisfies PrimaryMessage);
          slot.started = true;
          return;
        case "log":
          relayLogLine(logger, message.line);
          return;
        case "listening":
          slot.listening = true;
          notifyIfListening();
          return;
        case "failed":
          if (running) {
            logger.error({ pid: worker.process.pid, reason: message.message }, "worker failed");
          } else {
            failStart(new ClusterStartError(message.message)); // the start's one error line
          }
          return;
        case "synced": {
          const sync = syncs.get(message.token);
          sync?.waiting.delete(worker);
          if (sync !== undefined && sync.waiting.size === 0) {
            syncs.delete(message.token);
            sync.resolve();
          }
          return;
        }
        case "stats": {
          const query = queries.get(message.token);
          query?.stats.push(message.stats);
          query?.waiting.delete(worker);
          if (query !== undefined && query.waiting.size === 0) {
            queries.delete(message.token);
            query.resolve(query.stats);
          }
          return;
        }
      }
    });
    worker.on("exit", (code, signal) => {
      slots.delete(slot);
      release(worker);
      if (stopping) {
        return;
      }
      if (!running) {
        failStart(new ClusterStartError(`a worker exited while starting (code ${code})`));
        return;
      }
      const now = Date.now();
      crashes = [...crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
      const delayMs = Math.min(RESTART_MIN_MS * 2 ** (crashes.length - 1), RESTART_MAX_MS);
      logger.warn(
        { pid: worker.process.pid, code, signal, restartInMs: delayMs },
        "worker exited; starting another",
      );
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopping) {
          fork();
        }
      }, delayMs);
      restarts.add(timer);
    });
  };

  // Changes, in the order the leader made them.
  leader.library.onEntry = (filename, catalogueEntry) => {
    if (ready) {
      broadcast({
        type: "entry",
        filename,
        entry: catalogueEntry === undefined ? null : toWire(catalogueEntry),
      });
    }
  };
  leader.hub.onEvent = (event) => broadcast({ type: "event", event });
  const synced = async (): Promise<void> => {
    pushState();
    const targets = [...slots]
      .filter((slot) => slot.started && slot.worker.isConnected())
      .map((slot) => slot.worker);
    if (targets.length === 0) {
      return;
    }
    const token = ++nextToken;
    await new Promise<void>((resolve) => {
      syncs.set(token, { waiting: new Set(targets), resolve });
      for (const worker of targets) {
        post(worker, { type: "sync", token });
      }
    });
  };
  leader.library.whenDelivered = synced;
  leader.extras.whenDelivered = synced;
  const stateTimer = setInterval(pushState, STATE_CHECK_MS).unref();
  leader.library
    .whenReady()
    .then(() => {
      ready = true;
      broadcast({ type: "catalogue", entries: leader.library.entriesNow().map(toWire) });
      pushState();
    })
    .catch(() => undefined); // never rejects: a failed listing still marks the library ready

  const stop = async (): Promise<void> => {
    stopping = true;
    clearInterval(stateTimer);
    for (const timer of restarts) {
      clearTimeout(timer);
    }
    restarts.clear();
    const exits = [...slots].map(
      ({ worker }) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) {
            resolve();
            return;
          }
          worker.once("exit", () => resolve());
          const kill = setTimeout(() => worker.process.kill("SIGKILL"), STOP_DEADLINE_MS);
          worker.once("exit", () => clearTimeout(kill));
          if (worker.isConnected()) {
            post(worker, { type: "stop" });
          } else {
            worker.process.kill("SIGTERM");
          }
        }),
    );
    await Promise.all(exits);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      failStart = reject;
      listeners.push(resolve);
      for (let index = 0; index < options.workers; index++) {
        fork();
      }
    });
  } catch (error: unknown) {
    await stop();
    throw error;
  }
  running = true;
  failStart = () => undefined;

  return {
    port,
    pids: () =>
      [...slots]
        .filter((slot) => slot.listening)
        .flatMap((slot) =>
          slot.worker.process.pid === undefined ? [] : [slot.worker.process.pid],
        ),
    synced,
    whenListening: () =>
      new Promise<void>((resolve) => {
        listeners.push(resolve);
        if (restarts.size === 0) {
          notifyIfListening();
        }
      }),
    stats: async () => {
      const targets = [...slots]
        .filter((slot) => slot.listening && slot.worker.isConnected())
        .map((slot) => slot.worker);
      if (targets.length === 0) {
        return [];
      }
      const token = ++nextToken;
      return new Promise<WorkerStats[]>((resolve) => {
        queries.set(token, { waiting: new Set(targets), stats: [], resolve });
        for (const worker of targets) {
          post(worker, { type: "query", token });
        }
      });
    },
    stop,
  };
}
