/**
 * The cluster worker for test servers, bundled from the sources once per test process. Started
 * through tsx, every worker would compile the sources again (1–2 s per test server on a busy
 * machine, times the dozens of servers a suite starts); one esbuild bundle starts like `dist/`.
 * The bundle sits inside the package so its bare imports resolve to the package's dependencies.
 */

import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkerEntry } from "../cluster/primary.js";
import { withNodeFlags } from "../runtime/node-flags.js";

const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE_DIR = join(PACKAGE_DIR, "node_modules", ".cache", "reel-test-worker");

let bundled: Promise<WorkerEntry> | undefined;

/** `src/cluster/worker.ts` as one ESM file (its npm dependencies left as imports). */
export function bundledWorker(): Promise<WorkerEntry> {
  bundled ??= (async () => {
    // A folder per test process: parallel test files must not overwrite each other's.
    const outdir = join(BUNDLE_DIR, String(process.pid));
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    const { build } = await import("esbuild"); // only test runs that start a cluster need it
    await build({
      entryPoints: [join(PACKAGE_DIR, "src", "cluster", "worker.ts")],
      outdir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      // Lazy imports stay lazy (the AWS SDK loads only for a bucket), as in `dist/`.
      splitting: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      sourcemap: "inline",
      logLevel: "warning",
    });
    return { exec: join(outdir, "worker.mjs"), execArgv: withNodeFlags(["--enable-source-maps"]) };
  })();
  return bundled;
}
