// Tests against a real S3 store (`pnpm test:s3`): the SDK through nginx in front of several Reel
// replicas on one bucket. The server package's harness starts one single-node Ceph RADOS Gateway
// for the run (src/test-support/object-store-setup.ts) and stops it afterwards.
import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.js";

export default defineConfig({
  test: {
    ...base.test,
    include: ["src/**/*.s3.test.ts"],
    exclude: [...configDefaults.exclude],
    globalSetup: ["src/test-support/object-store-setup.ts"],
    // The type tests run with the default config; this run is about the store.
    typecheck: { enabled: false },
  },
});
