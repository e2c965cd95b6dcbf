import { copyFileSync, mkdirSync, rmSync, symlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { createLogger } from "../logger.js";
import { createDirectoryStore } from "../storage/directory/directory-store.js";
import type { VideoStore } from "../storage/store.js";
import { makeTempDir } from "../test-support/server.js";
import { StoreLibrary } from "./library.js";

let store: VideoStore | undefined;

/** A library over a directory store of `videoDir`. */
function libraryOver(videoDir: string, options: { stableMs: number; reconcileMs?: number }) {
  const logger = createLogger("silent");
  store = createDirectoryStore({ videoDir, chunkSize: 64 * 1024, logger, ...options });
  return new StoreLibrary({ store, logger });
}

describe("StoreLibrary", () => {
  let videoDir: string;
  let library: StoreLibrary | undefined;

  beforeEach(() => {
    videoDir = makeTempDir("reel-library-");
  });
  afterEach(() => {
    library?.close();
    store?.close();
    rmSync(videoDir, { recursive: true, force: true });
  });

  it("lists what was in the directory at start, with media read once", async () => {
    copyFileSync(join(SAMPLES_DIR, "sample_final.mp4"), join(videoDir, "a.mp4"));
    library = libraryOver(videoDir, { stableMs: 200 });
    await library.start();
    expect(library.count).toBe(1);
    expect(library.get("a.mp4")?.media?.durationSeconds).toBe(10);
    expect(library.list({ sort: "name", order: "asc", limit: 10 }).total).toBe(1);
  });

  it("finds, on the next reconcile, a change the directory watch cannot see", async () => {
    // A link to a file in a subfolder: writing the target raises no event in the watched folder.
    mkdirSync(join(videoDir, "store"));
    copyFileSync(join(SAMPLES_DIR, "sample_final.mp4"), join(videoDir, "store", "real.mp4"));
    utimesSync(join(videoDir, "store", "real.mp4"), 1_600_000_000, 1_600_000_000);
    symlinkSync("store/real.mp4", join(videoDir, "linked.mp4"));
    library = libraryOver(videoDir, { stableMs: 100, reconcileMs: 300 });
    await library.start();
    const before = library.get("linked.mp4");
    expect(before?.media?.durationSeconds).toBe(10);

    copyFileSync(join(SAMPLES_DIR, "late_moov.mp4"), join(videoDir, "store", "real.mp4"));
    utimesSync(join(videoDir, "store", "real.mp4"), 1_700_000_000, 1_700_000_000);
    const changedAt = Date.now();
    await expect
      .poll(() => library?.get("linked.mp4")?.media?.faststart, { timeout: 5000, interval: 20 })
      .toBe(false);
    // Not the watch (it saw nothing), but the 300 ms reconcile plus the 100 ms settle.
    expect(Date.now() - changedAt).toBeGreaterThanOrEqual(100);
    expect(library.get("linked.mp4")?.etag).not.toBe(before?.etag);
  });
});
