/**
 * Starts the real app on an ephemeral port over a temporary video directory, for black-box tests.
 * With `workers` ≥ 2 (or `REEL_TEST_WORKERS` ≥ 2 in the environment, `pnpm test:workers`) it runs
 * the real cluster: this process is the primary (the library, hub, extras and store the tests
 * inspect are the primary's, as in production) and that many worker processes serve the port.
 */
import { rmSync } from "node:fs";
import type { Agent, Server } from "node:http";
import type { Http2SecureServer } from "node:http2";
import type { Logger } from "pino";
import type { WorkerStats } from "../cluster/messages.js";
import { type ClusterPrimary, startPrimary } from "../cluster/primary.js";
import { createLeader, createReel } from "../compose.js";
import { type Config, loadConfig } from "../config.js";
import type { EventHub } from "../events/event-hub.js";
import type { ExtrasRenderer } from "../extras/media-extras.js";
import type { StoreLibrary } from "../library/library.js";
import { createLogger } from "../logger.js";
import type { VideoFilesOptions } from "../storage/directory/descriptor-cache.js";
import type { VideoStore } from "../storage/store.js";
import type { AcceptedConnections } from "../transport/connection-tracker.js";
import { createReelServer } from "../transport/create-server.js";
import { listen } from "../transport/listen.js";
import { selfSignedCertificate } from "./certificate.js";
import { makeTempDir } from "./temp-dir.js";
import { bundledWorker } from "./worker-bundle.js";

export { makeTempDir };

/** A running test server: `http.Server`, or with `https: true` the HTTPS + HTTP/2 server. */
export interface TestServer<S extends Server | Http2SecureServer = Server> {
  /** `http://127.0.0.1:<port>`, or `https://…` with TLS. */
  baseUrl: string;
  port: number;
  videoDir: string;
  /** The settings the server runs with: the environment's defaults plus the overrides. */
  config: Config;
  server: S;
  /**
   * Connections accepted so far, by the protocol ALPN picked (plain HTTP: all "http/1.1").
   * One process only: throws with workers (use `acceptedByAll`).
   */
  acceptedConnections(): AcceptedConnections;
  /** `acceptedConnections` summed over the serving processes (the cluster's workers). */
  acceptedByAll(): Promise<AcceptedConnections>;
  /** Processes serving the port: 1, or the cluster's worker count. */
  workers: number;
  /** The workers' pids (the cluster's), or this process's pid. */
  servingPids(): number[];
  /** What the serving processes hold open: the store's `openCount()`, summed over workers. */
  openCount(): Promise<number>;
  /** Open event streams, summed over the serving processes. */
  eventStreams(): Promise<number>;
  /** The cluster, when there is one (kill a worker, wait for its replacement). */
  cluster: ClusterPrimary | undefined;
  /** The app's library (catalogue of the store), its first scan done (unless `skipScanWait`). */
  library: StoreLibrary;
  /** The live-library event hub. */
  hub: EventHub;
  /** The media extras (off unless the test passes `extras: true`). */
  extras: ExtrasRenderer;
  /** The directory store the routes read through (closed by `close`). */
  store: VideoStore;
  close(): Promise<void>;
}

/** The HTTPS + HTTP/2 test server, with the certificate its clients must trust. */
export interface HttpsTestServer extends TestServer<Http2SecureServer> {
  /** The self-signed certificate (PEM), the CA for `https.request`, `http2.connect`, undici. */
  ca: string;
}

/** Config overrides plus test-only knobs. */
export interface TestServerOptions extends Partial<Config> {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Descriptor cache tuning (entries, idle time), for the cache's own tests. */
  fileCache?: VideoFilesOptions;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with a fresh self-signed certificate. */
  https?: boolean;
  /** The object store's HTTP agent, to count its sockets (`VIDEO_STORE=s3://…` only). */
  s3HttpAgent?: Agent;
  /** A built web player to serve at `/`, as `reel serve` does. */
  playerDir?: string;
  /** Resolve before the library's first scan is done (default: wait for it). */
  skipScanWait?: boolean;
  /** ms between the first scan's progress lines (default 1000). */
  scanProgressLogMs?: number;
}

/** `REEL_TEST_WORKERS` (default 1): how many processes a test server runs unless a test says. */
export function testWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.REEL_TEST_WORKERS ?? "1");
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`REEL_TEST_WORKERS must be a whole number ≥ 1, not ${env.REEL_TEST_WORKERS}`);
  }
  return value;
}

/** Starts `createApp` on 127.0.0.1:0 serving `videoDir` (a new temp dir by default). */
export function startTestServer(
  overrides?: TestServerOptions & { https?: false },
): Promise<TestServer>;
/** The same over HTTPS: HTTP/2 or HTTP/1.1 per connection, as main.ts serves with TLS_CERT. */
export function startTestServer(
  overrides: TestServerOptions & { https: true },
): Promise<HttpsTestServer>;
export async function startTestServer(
  overrides: TestServerOptions = {},
): Promise<TestServer<Server | Http2SecureServer> & { ca?: string }> {
  const {
    env,
    logger: givenLogger,
    fileCache,
    https = false,
    s3HttpAgent,
    playerDir,
    skipScanWait = false,
    scanProgressLogMs,
    ...configOverrides
  } = overrides;
  const ownsDir = configOverrides.videoDir === undefined;
  const videoDir = configOverrides.videoDir ?? makeTempDir();
  // Never the user's cache: a temp dir of its own unless the test names one (restart tests).
  const ownsCache = configOverrides.cacheDir === undefined && env?.CACHE_DIR === undefined;
  const cacheDir = ownsCache ? makeTempDir("reel-test-cache-") : undefined;
  const config: Config = {
    ...loadConfig({
      VIDEO_DIR: videoDir,
      LOG_LEVEL: "silent",
      // Extras are opt-in for tests: most suites assert exact `VideoInfo`s and idle CPUs.
      EXTRAS: "off",
      WORKERS: String(testWorkers()),
      ...(cacheDir === undefined ? {} : { CACHE_DIR: cacheDir }),
      ...env,
    }),
    ...(https ? { tls: selfSignedCertificate() } : {}),
    ...configOverrides,
    videoDir,
  };
  const logger = givenLogger ?? createLogger(config.logLevel);
  const removeDirs = () => {
    if (ownsDir) {
      rmSync(videoDir, { recursive: true, force: true });
    }
    if (cacheDir !== undefined) {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  };
  if (config.workers > 1) {
    return startTestCluster(config, logger, overrides, removeDirs);
  }
  const reel = await createReel(config, logger, {
    fileCache,
    s3HttpAgent,
    playerDir,
    scanProgressLogMs,
  });
  if (!skipScanWait) {
    await reel.library.whenReady();
  }
  // The same server main.ts builds, limits included (override them like any Config field).
  const transport = createReelServer(reel.app.callback(), config);
  const { server } = transport;
  const { port } = await listen(server, 0, "127.0.0.1");
  return {
    baseUrl: `${transport.scheme}://127.0.0.1:${port}`,
    port,
    videoDir,
    config,
    server,
    acceptedConnections: transport.acceptedConnections,
    acceptedByAll: async () => transport.acceptedConnections(),
    workers: 1,
    servingPids: () => [process.pid],
    openCount: async () => reel.store.openCount(),
    eventStreams: async () => reel.hub.connectionCount,
    cluster: undefined,
    ...(config.tls === undefined ? {} : { ca: config.tls.cert.toString("utf8") }),
    library: reel.library,
    hub: reel.hub,
    extras: reel.extras,
    store: reel.store,
    close: async () => {
      reel.close();
      transport.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      removeDirs();
    },
  };
}

/** Thrown by what a cluster's primary cannot answer for its workers. */
function perProcess(what: string): never {
  throw new Error(
    `${what} belongs to one serving process; with workers, start this server with workers: 1`,
  );
}

/** `startTestServer` as a cluster: this process is the primary, `config.workers` serve. */
async function startTestCluster(
  config: Config,
  logger: Logger,
  options: TestServerOptions,
  removeDirs: () => void,
): Promise<TestServer<Server | Http2SecureServer> & { ca?: string }> {
  const { fileCache, s3HttpAgent, playerDir, skipScanWait = false, scanProgressLogMs } = options;
  const leader = await createLeader(config, logger, { fileCache, s3HttpAgent, scanProgressLogMs });
  if (!skipScanWait) {
    await leader.library.whenReady();
  }
  let cluster: ClusterPrimary;
  try {
    cluster = await startPrimary(
      leader,
      { ...config, port: 0, host: "127.0.0.1" },
      // A test that hands in its logger reads the lines: the workers' too.
      {
        workers: config.workers,
        logger,
        playerDir,
        fileCache,
        forwardLogs: options.logger !== undefined,
        worker: await bundledWorker(),
      },
    );
  } catch (error: unknown) {
    leader.close();
    removeDirs();
    throw error;
  }
  if (!skipScanWait) {
    await cluster.synced(); // every worker has the whole catalogue
  }
  const stats = async (): Promise<WorkerStats[]> => cluster.stats();
  return {
    baseUrl: `${config.tls === undefined ? "http" : "https"}://127.0.0.1:${cluster.port}`,
    port: cluster.port,
    videoDir: config.videoDir,
    config,
    get server(): Server {
      return perProcess("The node server");
    },
    acceptedConnections: () => perProcess("acceptedConnections()"),
    acceptedByAll: async () =>
      (await stats()).reduce(
        (sum, worker) => ({
          h2: sum.h2 + worker.accepted.h2,
          "http/1.1": sum["http/1.1"] + worker.accepted["http/1.1"],
        }),
        { h2: 0, "http/1.1": 0 },
      ),
    ...(config.tls === undefined ? {} : { ca: config.tls.cert.toString("utf8") }),
    library: leader.library,
    hub: leader.hub,
    extras: leader.extras,
    store: leader.store,
    workers: config.workers,
    servingPids: () => cluster.pids(),
    openCount: async () =>
      (await stats()).reduce((sum, worker) => sum + worker.openCount, leader.store.openCount()),
    eventStreams: async () => (await stats()).reduce((sum, worker) => sum + worker.eventStreams, 0),
    cluster,
    close: async () => {
      await cluster.stop();
      leader.close();
      removeDirs();
    },
  };
}
