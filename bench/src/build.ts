/** Builds packages/server when its dist/ is missing or older than its sources. */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { SERVER_DIR } from "./peers/reel.js";

/** Runs `pnpm -C packages/server build` when `mode` says so (or dist is stale under "auto"). */
export function ensureServerBuilt(
  mode: "auto" | "always" | "never",
  log: (line: string) => void,
): void {
  if (mode === "never" || (mode === "auto" && !isStale())) {
    return;
  }
  log("building packages/server (pnpm -C packages/server build)");
  const result = spawnSync("pnpm", ["-C", SERVER_DIR, "build"], { stdio: "inherit" });
  if (result.status !== 0) {
    throw new Error("pnpm -C packages/server build failed");
  }
}

function isStale(): boolean {
  let built: number;
  try {
    built = statSync(join(SERVER_DIR, "dist", "main.js")).mtimeMs;
  } catch {
    return true;
  }
  return newestMtime(join(SERVER_DIR, "src")) > built;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestMtime(path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}
