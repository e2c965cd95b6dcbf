/**
 * Runs a whole Reel from a validated config: build, listen, log where, and shut down cleanly on
 * SIGINT/SIGTERM. Shared by `main.ts` (`npm start`, environment only) and `reel serve`. With
 * `WORKERS` above 1 this process becomes a cluster's primary (cluster/primary.ts) and the
 * workers it forks serve the port.
 */
import type { Logger } from "pino";
import { ClusterStartError, startPrimary } from "./cluster/primary.js";
import { createLeader, createReel } from "./compose.js";
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
  if (config.workers > 1) {
    return serveCluster(config, options, logger);
  }
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

/** `serve` as a cluster's primary: the leader here, `config.workers` workers on the port. */
async function serveCluster(
  config: Config,
  options: ServeOptions,
  logger: Logger,
): Promise<RunningReel> {
  const leader = await createLeader(config, logger);
  let primary: Awaited<ReturnType<typeof startPrimary>>;
  try {
    primary = await startPrimary(leader, config, {
      workers: config.workers,
      logger,
      playerDir: options.playerDir,
    });
  } catch (error: unknown) {
    leader.close();
    if (error instanceof ClusterStartError) {
      throw new ListenError(`cannot listen on ${config.host}:${config.port}: ${error.message}`);
    }
    throw error;
  }
  const url = `${config.tls === undefined ? "http" : "https"}://${config.host}:${primary.port}`;
  logger.info(
    {
      url,
      protocols: config.tls === undefined ? ["http/1.1"] : ["h2", "http/1.1"],
      videoDir: config.store.kind === "directory" ? config.videoDir : undefined,
      store: config.store.kind === "s3" ? leader.store.location : undefined,
      player: options.playerDir !== undefined,
      workers: config.workers,
      pids: primary.pids(),
    },
    "reel listening",
  );

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    // The workers end their event streams and connections; then the store is given back.
    primary.stop().then(
      () => {
        leader.close();
        process.exit(0);
      },
      () => process.exit(0),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  return { url };
}
