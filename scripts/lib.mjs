// Shared by scripts/start.mjs and scripts/test.mjs: run commands, make sure pnpm deps exist.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PNPM_VERSION = "10.34.9";

/** Runs a command in the repo root, inheriting stdio; exits the script when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(
      `\n✗ ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(result.status ?? 1);
  }
}

/** pnpm at the pinned version, through npx so a fresh machine with only npm works. */
export function pnpm(args, options = {}) {
  run("npx", ["-y", `pnpm@${PNPM_VERSION}`, ...args], options);
}

/** Spawns pnpm without waiting (for long-running servers). */
export function spawnPnpm(args, options = {}) {
  return spawn("npx", ["-y", `pnpm@${PNPM_VERSION}`, ...args], {
    cwd: ROOT,
    stdio: "inherit",
    ...options,
  });
}

/** Installs the workspace's dependencies from the lockfile when they are missing. */
export function ensureDependencies() {
  if (!existsSync(`${ROOT}/node_modules/.modules.yaml`)) {
    pnpm(["install", "--frozen-lockfile"]);
  }
}

/** True when `command` is on PATH. */
export function hasCommand(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}
