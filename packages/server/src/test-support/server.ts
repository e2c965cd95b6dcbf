/** Starts the real app on an ephemeral port over a temporary video directory, for black-box tests. */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { createReel } from "../compose.js";
import { type Config, loadConfig } from "../config.js";
import type { EventHub } from "../events/event-hub.js";
import type { Library } from "../library/library.js";
import { createLogger } from "../logger.js";
import type { VideoFilesOptions } from "../storage/directory/descriptor-cache.js";
import type { VideoStore } from "../storage/store.js";
import { createReelServer } from "../transport/create-server.js";
import { listen } from "../transport/listen.js";

/** A running test server. */
export interface TestServer {
  baseUrl: string;
  port: number;
  videoDir: string;
  /** The settings the server runs with: the environment's defaults plus the overrides. */
  config: Config;
  server: Server;
  /** The app's library (catalogue of the store), its first scan done. */
  library: Library;
  /** The live-library event hub. */
  hub: EventHub;
  /** The directory store the routes read through (closed by `close`). */
  store: VideoStore;
  close(): Promise<void>;
}

/** A fresh empty temporary directory; removed by the caller. */
export function makeTempDir(prefix = "reel-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts `createApp` on 127.0.0.1:0 serving `videoDir` (a new temp dir by default). */
export async function startTestServer(
  overrides: Partial<Config> & {
    env?: NodeJS.ProcessEnv;
    logger?: Logger;
    /** Descriptor cache tuning (entries, idle time), for the cache's own tests. */
    fileCache?: VideoFilesOptions;
  } = {},
): Promise<TestServer> {
  const { env, logger: givenLogger, fileCache, ...configOverrides } = overrides;
  const ownsDir = configOverrides.videoDir === undefined;
  const videoDir = configOverrides.videoDir ?? makeTempDir();
  const config: Config = {
    ...loadConfig({ VIDEO_DIR: videoDir, LOG_LEVEL: "silent", ...env }),
    ...configOverrides,
    videoDir,
  };
  const logger = givenLogger ?? createLogger(config.logLevel);
  const reel = createReel(config, logger, { fileCache });
  await reel.library.whenReady();
  // The same server main.ts builds, limits included (override them like any Config field).
  const server = createReelServer(reel.app.callback(), config);
  const { port } = await listen(server, 0, "127.0.0.1");
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    videoDir,
    config,
    server,
    library: reel.library,
    hub: reel.hub,
    store: reel.store,
    close: async () => {
      reel.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsDir) {
        rmSync(videoDir, { recursive: true, force: true });
      }
    },
  };
}
