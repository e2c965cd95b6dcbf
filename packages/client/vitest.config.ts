import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // These need the Ceph gateway that vitest.s3.config.ts starts (`pnpm test:s3`).
    exclude: [...configDefaults.exclude, "src/**/*.s3.test.ts"],
    // Real-server tests (200 MB download, reconnects) need more than the 5 s default.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: {
      enabled: true,
      include: ["src/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
