/** Entry point: read the environment, build the app, listen, and shut down cleanly on signals. */
import { createServer } from "node:http";
import { createReel } from "./compose.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

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
  const server = createServer(reel.app.callback());
  server.listen(config.port, config.host, () => {
    logger.info(
      { url: `http://${config.host}:${config.port}`, videoDir: config.videoDir },
      "reel listening",
    );
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    reel.close(); // ends the event streams, so server.close() is not held open by them
    server.close(() => process.exit(0));
    // Streams in flight are destroyed, which releases their handles.
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

start();
