import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // These need the Ceph gateway that vitest.s3.config.ts starts (`pnpm test:s3`).
    exclude: [...configDefaults.exclude, "src/test-support/object-store/**", "src/**/*.s3.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
