/** Reel itself: the built product, `node packages/server/dist/main.js`. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NODE_FLAGS } from "@reel/server/runtime/node-flags";
import { startNodeServer } from "./node-process.js";
import type { PeerDefinition } from "./types.js";

/** The server package, built by `pnpm -C packages/server build` before a run. */
export const SERVER_DIR = fileURLToPath(new URL("../../../packages/server/", import.meta.url));
// REEL_MAIN points at another build (e.g. a patched copy) to A/B-test a change; default: dist/.
const MAIN = process.env.REEL_MAIN ?? `${SERVER_DIR}dist/main.js`;

/**
 * Reel with LOG_LEVEL=silent, the production entry point with the Node flags every launcher of it
 * passes (`NODE_FLAGS`, as `reel serve` and `pnpm start` do), as one process (`WORKERS=1`) unless
 * `options.env` sets WORKERS: on one pinned core, cluster workers would only take turns.
 */
export const reelPeer: PeerDefinition = {
  id: "reel",
  name: "Reel",
  description: "packages/server/dist/main.js (koa 3 + @koa/router), LOG_LEVEL=silent",
  start: (options) => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: run \`pnpm -C packages/server build\` first`);
    }
    // REEL_NODE_OPTIONS: V8/Node flags to try on Reel alone (e.g. --max-semi-space-size=4).
    const nodeOptions = process.env.REEL_NODE_OPTIONS;
    const workers = options.env?.WORKERS ?? "1";
    return startNodeServer(
      "Reel",
      MAIN,
      { ...options, nodeFlags: [...NODE_FLAGS, ...(options.nodeFlags ?? [])] },
      {
        WORKERS: workers,
        LOG_LEVEL: "silent",
        // The serving cost alone: no ffmpeg rendering posters during a workload (`--extras`
        // measures that on purpose).
        EXTRAS: "off",
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        ...(options.tls ? { TLS_CERT: options.tls.certPath, TLS_KEY: options.tls.keyPath } : {}),
      },
      workers !== "1", // the cluster's workers count as Reel (CPU, RSS)
    );
  },
};
