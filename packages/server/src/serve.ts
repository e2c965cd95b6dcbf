/**
 * Runs a whole Reel from a validated config: build, listen, log where, and shut down cleanly on
 * SIGINT/SIGTERM. Shared by `main.ts` (`npm start`, environment only) and `reel serve`.
 */

import { createReel } from "./compose.js";
import type { Config } from "./config.js";
import { createLogger } from "./logger.js";
import { createReelServer } from "./transport/create-server.js";
import { listen } from "./transport/listen.js";

/** How `serve` runs beyond the config. */
export interface ServeOptions {
  /** A built web player to serve at `/` (its `index.html` must exist); none by default. */
  playerDir?: string;
}

/** A running Reel. */
export interface RunningReel {
  /** `http://host:port` (or `https://`), the port being the bound one. */
  url: string;
}

/** The server could not bind its address: `message` is one line naming host and port. */
export class ListenError extends Error {
  override name = "ListenError";
}

/**
 * Builds and starts Reel; resolves once it listens. Installs SIGINT/SIGTERM handlers that end
 * the event streams and connections and exit 0.
 * @throws {ListenError} when the address cannot be bound (in use, not permitted, not local).
 */
export async function serve(config: Config, options: ServeOptions = {}): Promise<RunningReel> {
  const logger = createLogger(config.logLevel);
  const reel = await createReel(config, logger, { playerDir: options.playerDir });
  const transport = createReelServer(reel.app.callback(), config);
  let port: number;
  try {
    ({ port } = await listen(transport.server, config.port, config.host));
  } catch (error: unknown) {
    reel.close();
    throw new ListenError(`cannot listen on ${config.host}:${config.port}: ${String(error)}`);
  }
  const url = `${transport.scheme}://${config.host}:${port}`;
  logger.info(
    {
      url,
      protocols: transport.scheme === "https" ? ["h2", "http/1.1"] : ["http/1.1"],
      videoDir: config.store.kind === "directory" ? config.videoDir : undefined,
      store: config.store.kind === "s3" ? reel.store.location : undefined,
      player: options.playerDir !== undefined,
    },
    "reel listening",
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
  return { url };
}
