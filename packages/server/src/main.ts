/** Entry point: read the environment, build the app, listen, and shut down cleanly on signals. */
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createVideoFiles } from "./files/descriptor-cache.js";
import { Library } from "./library/library.js";
import { createLogger } from "./logger.js";
import { createReelServer } from "./transport/create-server.js";
import { listen } from "./transport/listen.js";

function start(): void {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      console.error(`reel: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const library = new Library({ videoDir: config.videoDir, stableMs: config.stableMs, logger });
  // Not awaited: the listing routes wait for the initial scan, the stream route does not need it.
  library.start().catch((error: unknown) => {
    logger.error({ err: error }, "library scan failed");
  });
  const files = createVideoFiles(config.videoDir);
  const app = createApp({ config, logger, library, files });
  const reel = createReelServer(app.callback(), config);
  listen(reel.server, config.port, config.host).then(
    (address) => {
      logger.info(
        {
          url: `${reel.scheme}://${config.host}:${address.port}`,
          protocols: reel.scheme === "https" ? ["h2", "http/1.1"] : ["http/1.1"],
          videoDir: config.videoDir,
        },
        "reel listening",
      );
    },
    (error: unknown) => {
      console.error(`reel: cannot listen on ${config.host}:${config.port}: ${String(error)}`);
      process.exit(1);
    },
  );

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    library.close(); // ends the event streams, so server.close() is not held open by them
    reel.server.close(() => process.exit(0));
    // Streams in flight are destroyed, which closes their file handles.
    reel.closeAllConnections();
    files.close(); // cached descriptors; ones still being read close when their stream ends
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

start();
