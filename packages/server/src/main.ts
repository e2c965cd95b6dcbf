/** Entry point: read the environment, build the app, listen, and shut down cleanly on signals. */
import { createReel } from "./compose.js";
import { ConfigError, loadConfig } from "./config.js";
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
  const reel = createReel(config, logger);
  const transport = createReelServer(reel.app.callback(), config);
  listen(transport.server, config.port, config.host).then(
    (address) => {
      logger.info(
        {
          url: `${transport.scheme}://${config.host}:${address.port}`,
          protocols: transport.scheme === "https" ? ["h2", "http/1.1"] : ["http/1.1"],
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
    reel.close(); // ends the event streams, so server.close() is not held open by them
    transport.server.close(() => process.exit(0));
    // Streams in flight are destroyed, which releases their handles.
    transport.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

start();
