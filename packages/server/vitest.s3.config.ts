// Tests against a real S3 store (`pnpm test:s3`): one single-node Ceph cluster with its RADOS
// Gateway for the whole run (src/test-support/object-store/global-setup.ts), shared by every test
// file. Runs the harness's own tests, every `*.s3.test.ts`, and the black-box route suites that
// are parametrised by store (test-support/store-kinds.ts), this time on an S3 bucket.
import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/** The route suites written once and run on every store (`describe.each(storeKindsUnderTest())`). */
export const STORE_PARAMETRISED_SUITES: string[] = [
  "src/routes/video.test.ts",
  "src/routes/video-range-lists.test.ts",
  "src/routes/video-preconditions.test.ts",
  "src/routes/video-confinement.test.ts",
  "src/routes/videos.test.ts",
  "src/routes/events.test.ts",
];

export default defineConfig({
  test: {
    ...base.test,
    include: [
      "src/test-support/object-store/**/*.test.ts",
      "src/**/*.s3.test.ts",
      ...STORE_PARAMETRISED_SUITES,
    ],
    exclude: [...configDefaults.exclude],
    globalSetup: ["src/test-support/object-store/global-setup.ts"],
    env: { ...base.test?.env, REEL_TEST_STORES: "s3" },
  },
});
