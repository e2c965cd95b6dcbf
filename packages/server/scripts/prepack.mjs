// `pnpm pack` of @reel/server: builds the server (its CLI bundle included) and the web player,
// then copies the player's production build into player/, which `reel serve` serves at `/`.
// postpack removes player/ again, so a checkout's `npm start` keeps Vite's player on :5173.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const PLAYER_DIR = fileURLToPath(new URL("../player/", import.meta.url));

const turbo = spawnSync(
  "node_modules/.bin/turbo",
  ["run", "build", "--filter=@reel/server", "--filter=@reel/web", "--output-logs=errors-only"],
  { cwd: ROOT, stdio: "inherit" },
);
if (turbo.status !== 0) {
  process.exit(turbo.status ?? 1);
}
if (!existsSync(`${WEB_DIST}index.html`)) {
  process.stderr.write(`prepack: ${WEB_DIST}index.html is missing after the web build\n`);
  process.exit(1);
}
rmSync(PLAYER_DIR, { recursive: true, force: true });
cpSync(WEB_DIST, PLAYER_DIR, { recursive: true });
process.stderr.write(`prepack: player copied to ${PLAYER_DIR.replace(PACKAGE_DIR, "")}\n`);
