/** Starts the real app on an ephemeral port over a temporary video directory, for black-box tests. */
import { rmSync } from "node:fs";
import type { Agent, Server } from "node:http";
import type { Http2SecureServer } from "node:http2";
import type { Logger } from "pino";
import { createReel } from "../compose.js";
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
  /** Connections accepted so far, by the protocol ALPN picked (plain HTTP: all "http/1.1"). */
  acceptedConnections(): AcceptedConnections;
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
      ...(cacheDir === undefined ? {} : { CACHE_DIR: cacheDir }),
      ...env,
    }),
    ...(https ? { tls: selfSignedCertificate() } : {}),
    ...configOverrides,
    videoDir,
  };
  const logger = givenLogger ?? createLogger(config.logLevel);
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
    ...(config.tls === undefined ? {} : { ca: config.tls.cert.toString("utf8") }),
    library: reel.library,
    hub: reel.hub,
    extras: reel.extras,
    store: reel.store,
    close: async () => {
      reel.close();
      transport.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsDir) {
        rmSync(videoDir, { recursive: true, force: true });
      }
      if (cacheDir !== undefined) {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    },
  };
}
