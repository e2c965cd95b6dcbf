import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp-dir.js";
import { createSmallReads } from "./small-reads.js";

const CONTENT = Buffer.from(Array.from({ length: 100_000 }, (_, index) => index % 251));
let fd: number;

beforeAll(() => {
  const path = join(makeTempDir(), "clip.mp4");
  writeFileSync(path, CONTENT);
  fd = openSync(path, "r");
});

afterAll(() => {
  closeSync(fd);
});

/** A clock that advances `stepMs` each time it is read. */
function steppingClock(stepMs: number): () => number {
  let now = 0;
  return () => {
    now += stepMs;
    return now;
  };
}

describe("small reads", () => {
  it.each([
    { what: "a range inside the file", position: 10, length: 4096 },
    { what: "the first byte", position: 0, length: 1 },
    { what: "up to the last byte", position: 90_000, length: 10_000 },
    { what: "a range past the end (short)", position: 99_990, length: 100 },
    { what: "at the end (empty)", position: 100_000, length: 10 },
  ])("reads $what byte-exact", async ({ position, length }) => {
    const reads = createSmallReads();
    const bytes = await reads.read(fd, position, length);
    expect(bytes.equals(CONTENT.subarray(position, position + length))).toBe(true);
    expect(reads.counts).toEqual({ onLoop: 1, inPool: 0 });
  });

  it("sends a read larger than maxLoopBytes through the pool, byte-exact", async () => {
    const reads = createSmallReads({ maxLoopBytes: 1024 });
    const bytes = await reads.read(fd, 5, 50_000);
    expect(bytes.equals(CONTENT.subarray(5, 50_005))).toBe(true);
    expect(reads.counts).toEqual({ onLoop: 0, inPool: 1 });
  });

  it("after a read slower than slowReadMs, reads go through the pool for poolForMs", async () => {
    // Every clock reading advances 3 ms: the first read "takes" 3 ms > 2 ms.
    const clock = steppingClock(3);
    const reads = createSmallReads({ slowReadMs: 2, poolForMs: 100, now: clock });
    await reads.read(fd, 0, 10);
    expect(reads.counts).toEqual({ onLoop: 1, inPool: 0 });
    expect(reads.pooled).toBe(true);
    const pooled = await reads.read(fd, 20, 10);
    expect(pooled.equals(CONTENT.subarray(20, 30))).toBe(true);
    expect(reads.counts).toEqual({ onLoop: 1, inPool: 1 });
  });

  it("goes back to the loop once the window is over", async () => {
    let now = 0;
    let readings = 0;
    // The first read appears to take 5 ms (the clock's second reading jumps); later ones take 0.
    const clock = () => {
      readings += 1;
      if (readings === 2) {
        now += 5;
      }
      return now;
    };
    const reads = createSmallReads({ slowReadMs: 2, poolForMs: 100, now: clock });
    await reads.read(fd, 0, 10);
    expect(reads.pooled).toBe(true);
    await reads.read(fd, 0, 10);
    now += 200; // past the window
    expect(reads.pooled).toBe(false);
    const bytes = await reads.read(fd, 7, 10);
    expect(bytes.equals(CONTENT.subarray(7, 17))).toBe(true);
    expect(reads.counts).toEqual({ onLoop: 2, inPool: 1 });
  });

  it("keeps reading on the loop while reads are fast", async () => {
    const reads = createSmallReads({ slowReadMs: 2, now: () => 0 });
    for (let index = 0; index < 50; index += 1) {
      await reads.read(fd, index * 100, 100);
    }
    expect(reads.counts).toEqual({ onLoop: 50, inPool: 0 });
    expect(reads.pooled).toBe(false);
  });

  it("rejects (never throws) when the read fails", async () => {
    const path = join(makeTempDir(), "gone.mp4");
    writeFileSync(path, "x");
    const closed = openSync(path, "r");
    closeSync(closed);
    const reads = createSmallReads();
    const pending = reads.read(closed, 0, 10);
    await expect(pending).rejects.toMatchObject({ code: "EBADF" });
  });
});
