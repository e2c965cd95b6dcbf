/** Starts the real app on an ephemeral port over a temporary video directory, for black-box tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { createReel } from "../compose.js";
import { type Config, loadConfig } from "../config.js";
import type { EventHub } from "../events/event-hub.js";
import type { Library } from "../library/library.js";
import { createLogger } from "../logger.js";
import type { VideoFilesOptions } from "../storage/directory/descriptor-cache.js";
import type { DirectoryStore } from "../storage/directory/directory-store.js";

/** A running test server. */
export interface TestServer {
  baseUrl: string;
  port: number;
  videoDir: string;
  server: Server;
  /** The app's library (catalogue of the store), its first scan done. */
  library: Library;
  /** The live-library event hub. */
  hub: EventHub;
  /** The directory store the routes read through (closed by `close`). */
  store: DirectoryStore;
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
  const server = createServer(reel.app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo; // listening on TCP, so never a string
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    videoDir,
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
