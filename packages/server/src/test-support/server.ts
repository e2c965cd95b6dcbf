/** Starts the real app on an ephemeral port over a temporary video directory, for black-box tests. */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { createApp } from "../app.js";
import { type Config, loadConfig } from "../config.js";
import {
  createVideoFiles,
  type VideoFiles,
  type VideoFilesOptions,
} from "../files/descriptor-cache.js";
import { Library } from "../library/library.js";
import { createLogger } from "../logger.js";
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
  /** The app's library (catalogue, watcher, event hub), already started. */
  library: Library;
  /** The stream route's descriptor cache (closed by `close`). */
  files: VideoFiles;
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
  const library = new Library({ videoDir, stableMs: config.stableMs, logger });
  await library.start();
  const files = createVideoFiles(videoDir, fileCache);
  const app = createApp({ config, logger, library, files });
  // The same server main.ts builds, limits included (override them like any Config field).
  const server = createReelServer(app.callback(), config);
  const { port } = await listen(server, 0, "127.0.0.1");
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    videoDir,
    config,
    server,
    library,
    files,
    close: async () => {
      library.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      files.close();
      if (ownsDir) {
        rmSync(videoDir, { recursive: true, force: true });
      }
    },
  };
}
