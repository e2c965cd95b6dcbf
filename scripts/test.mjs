// `npm test` / `pnpm test`: every test. Installs what a fresh machine lacks (apt as root:
// ffmpeg, chromium, firefox-esr, nginx, wrk, openssl, nghttp2-client, Ceph; the workspace's npm
// dependencies), then runs lint, typecheck, unit and HTTP tests, the generated-file drift check,
// the OpenAPI lint, the SDK's package checks (packed, installed with npm into fresh projects),
// the object-store tests, the HTTP suites against a two-worker cluster, the browser e2e (Chromium and Firefox), the packed `reel` command in
// Chromium and the benchmark smoke run.
import { ensureDependencies, hasCommand, pnpm, run } from "./lib.mjs";

// command → Debian package. openssl makes the HTTPS tests' certificate; h2load (nghttp2-client)
// drives the benchmark's HTTP/2 rows.
const SYSTEM_TOOLS = {
  ffmpeg: "ffmpeg",
  chromium: "chromium",
  "firefox-esr": "firefox-esr",
  nginx: "nginx",
  wrk: "wrk",
  // Ceph's S3 gateway for the object-store tests (packages/server/src/test-support/object-store).
  radosgw: "radosgw",
  "ceph-mon": "ceph-mon",
  "ceph-osd": "ceph-osd",
  openssl: "openssl",
  h2load: "nghttp2-client",
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
// @reel/client as a user meets it: the packed tarball linted (publint, attw), then installed with
// npm into a fresh Vite + React app and a Node script, typechecked, built and run against a live
// server (packages/client/consumer-test/).
pnpm(["-C", "packages/client", "lint:package"]);
pnpm(["-C", "packages/client", "test:consumer"]);
// The store contract and the outage tests against a real single-node Ceph RADOS Gateway, which
// the run starts and stops itself (packages/server/src/test-support/object-store/).
pnpm(["-C", "packages/server", "test:s3"]);
// Every HTTP suite again against a real two-worker cluster (WORKERS=2: this process the primary,
// two worker processes sharing the port; packages/server/vitest.workers.config.ts).
pnpm(["-C", "packages/server", "test:workers"]);
// The SDK through nginx in front of two replicas on one bucket, a replica killed mid-transfer
// (packages/client/src/replicas.s3.test.ts), with a gateway of its own.
pnpm(["-C", "packages/client", "test:s3"]);
pnpm(["-C", "packages/web", "e2e"]);
// The packed server installed into an empty folder: `reel serve` and `reel download` in Chromium.
run("node", ["scripts/pack-test.mjs"]);
pnpm(["-C", "bench", "bench", "--quick"]);
