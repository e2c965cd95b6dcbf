// Every black-box HTTP suite again with the server as a real cluster (`pnpm test:workers`):
// `startTestServer` forks REEL_TEST_WORKERS worker processes that share the port, and the test
// process is their primary (it holds the library, hub and store the tests inspect). A test that
// needs one process's internals says `workers: 1` beside its reason. Forks, not threads: a
// cluster primary must be a process of its own (`cluster.fork` from a worker thread forks the
// whole test runner's entry).
import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/** The suites that start a server and speak HTTP to it. */
export const HTTP_SUITES: string[] = [
  "src/routes/*.test.ts",
  "src/transport/*.test.ts",
  "src/http/access-log.test.ts",
  "src/openapi/*.test.ts",
  "src/library/scan-progress.test.ts",
];

export default defineConfig({
  test: {
    ...base.test,
    include: HTTP_SUITES,
    exclude: [...configDefaults.exclude, "src/**/*.s3.test.ts"],
    pool: "forks",
    env: { ...base.test?.env, REEL_TEST_WORKERS: "2" },
  },
});
