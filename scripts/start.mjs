// `npm start` / `pnpm start`: install and build what is missing, then run the server on :8000
// and the player on :5173 together. Honours PORT, VIDEO_DIR and the other server variables.

import { spawn } from "node:child_process";
import { ensureDependencies, pnpm, ROOT, spawnPnpm } from "./lib.mjs";

ensureDependencies();
pnpm([
  "exec",
  "turbo",
  "run",
  "build",
  "--filter=@reel/server",
  "--filter=@reel/client",
  "--output-logs=errors-only",
]);

// The flags every Reel server process runs with (packages/server/src/runtime/node-flags.ts).
const { NODE_FLAGS } = await import("../packages/server/dist/runtime/node-flags.js");
const env = { ...process.env, PORT: process.env.PORT ?? "8000" };
const server = spawn(process.execPath, [...NODE_FLAGS, "packages/server/dist/main.js"], {
  cwd: ROOT,
  stdio: "inherit",
  env,
});
const web = spawnPnpm(["-C", "packages/web", "dev"], { env: { ...env, REEL_API_PORT: env.PORT } });

let stopping = false;
function stop(code) {
  if (stopping) {
    return;
  }
  stopping = true;
  server.kill("SIGTERM");
  web.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}
server.on("exit", (code) => stop(code ?? 1));
web.on("exit", (code) => stop(code ?? 1));
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
