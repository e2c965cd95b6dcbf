/**
 * The first scan of a large library reports how far it is: `/api/health` answers at once with
 * `scanning: {done, total}` while it runs (and without it after), and a progress line is logged
 * at a fixed pace. 3,000 hard links to one real MP4: each is opened and probed for real.
 */
import { copyFileSync, linkSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import type { Health } from "../openapi/schemas.js";
import { createMemoryLogger, type MemoryLogger } from "../test-support/memory-logger.js";
import { makeTempDir, startTestServer, type TestServer } from "../test-support/server.js";

const FILE_COUNT = 3000;
const PROGRESS_LOG_MS = 50; // the production pace is 1 s; a quick one keeps the test short

async function getHealth(baseUrl: string): Promise<Health> {
  const response = await fetch(`${baseUrl}/api/health`);
  expect(response.status).toBe(200);
  return (await response.json()) as Health; // the route's schema; fields checked below
}

describe("the first scan of a large library", () => {
  let videoDir: string;
  let server: TestServer;
  let memory: MemoryLogger;
  const seen: Health[] = [];

  beforeAll(async () => {
    videoDir = makeTempDir("reel-scan-");
    const original = join(videoDir, "original.mp4");
    copyFileSync(join(SAMPLES_DIR, "sample_final.mp4"), original);
    for (let index = 1; index < FILE_COUNT; index++) {
      linkSync(original, join(videoDir, `video-${String(index).padStart(4, "0")}.mp4`));
    }
    memory = createMemoryLogger();
    server = await startTestServer({
      videoDir,
      logger: memory.logger,
      skipScanWait: true,
      scanProgressLogMs: PROGRESS_LOG_MS,
    });
    // Poll health as a supervisor would, until the scan is over.
    for (;;) {
      const health = await getHealth(server.baseUrl);
      seen.push(health);
      if (health.scanning === undefined) {
        break;
      }
    }
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(videoDir, { recursive: true, force: true });
  });

  it("shows scanning in /api/health with done below total while it runs", () => {
    const midway = seen.filter(
      (health) =>
        health.scanning !== undefined &&
        health.scanning.total === FILE_COUNT &&
        health.scanning.done < FILE_COUNT,
    );
    expect(midway.length).toBeGreaterThan(0);
    for (const health of midway) {
      expect(health.videos).toBeLessThanOrEqual(health.scanning?.done ?? 0);
    }
  });

  it("counts up and drops scanning from /api/health once it is done", () => {
    const done = seen.map((health) => health.scanning?.done ?? FILE_COUNT);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual({
      status: "ok",
      videos: FILE_COUNT,
      extras: { enabled: false, reason: "turned off (EXTRAS=off)", pending: 0 },
    });
  });

  it("logs progress lines with done and total, then one line when finished", async () => {
    const progress = memory.lines.filter((line) => line.msg === "scanning library");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((line) => line.total === FILE_COUNT)).toBe(true);
    for (const line of progress) {
      expect(line).toMatchObject({
        level: 30,
        done: expect.any(Number),
        total: expect.any(Number),
      });
    }
    const finished = await memory.waitForLine((line) => line.msg === "library scanned");
    expect(finished).toMatchObject({ videos: FILE_COUNT, ms: expect.any(Number) });
  });
});
