import { defineConfig } from "vitest/config";

// The browser e2e runs against the real server and player (scripts/start.mjs); one file at a
// time, generous timeouts: it builds, generates a 20 MB video and drives Chromium and Firefox.
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
