// Tests against a real S3 store (`pnpm test:s3`): one single-node Ceph cluster with its RADOS
// Gateway for the whole run (src/test-support/object-store/global-setup.ts), shared by every test
// file. Runs the harness's own tests and every `*.s3.test.ts`.
import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.js";

export default defineConfig({
  test: {
    ...base.test,
    include: ["src/test-support/object-store/**/*.test.ts", "src/**/*.s3.test.ts"],
    exclude: [...configDefaults.exclude],
    globalSetup: ["src/test-support/object-store/global-setup.ts"],
  },
});
