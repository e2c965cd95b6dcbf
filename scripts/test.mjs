// `npm test` / `pnpm test`: every test. Installs what a fresh machine lacks (apt as root:
// ffmpeg, chromium, firefox-esr, nginx, wrk; the workspace's npm dependencies), then runs lint,
// typecheck, unit and HTTP tests, the generated-file drift check, the OpenAPI lint, the browser
// e2e (Chromium and Firefox) and the benchmark smoke run.
import { ensureDependencies, hasCommand, pnpm, run } from "./lib.mjs";

const SYSTEM_TOOLS = {
  ffmpeg: "ffmpeg",
  chromium: "chromium",
  "firefox-esr": "firefox-esr",
  nginx: "nginx",
  wrk: "wrk",
};

function ensureSystemTools() {
  const missing = Object.entries(SYSTEM_TOOLS).filter(
    ([command]) => !hasCommand(command) && !hasCommand(`/usr/sbin/${command}`),
  );
  if (missing.length === 0) {
    return;
  }
  const packages = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing system tools: ${packages.join(", ")}. Install them: sudo apt-get install -y ${packages.join(" ")}`,
    );
    process.exit(1);
  }
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

ensureSystemTools();
ensureDependencies();
pnpm(["exec", "turbo", "run", "generate", "--output-logs=errors-only"]);
run("git", ["diff", "--exit-code", "--", "openapi.yaml", "packages/client/src/schema.d.ts"]);
pnpm(["exec", "biome", "ci", "."]);
pnpm(["exec", "turbo", "run", "typecheck", "test", "--concurrency=1"]);
pnpm(["-C", "packages/web", "e2e"]);
pnpm(["-C", "bench", "bench", "--quick"]);
