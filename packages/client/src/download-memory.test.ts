import { createHash } from "node:crypto";
import { closeSync, createReadStream, ftruncateSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, startFixture } from "./test-support/fixture.js";

const MB = 1024 * 1024;
const SIZE = 200 * MB;
const RSS_BUDGET = 50 * MB;

/** A sparse 200 MB file (instant to create) with marker bytes so the hash proves byte order. */
function createBigFile(path: string): void {
  const fd = openSync(path, "w");
  try {
    ftruncateSync(fd, SIZE);
    for (let offset = 0; offset < SIZE; offset += 7 * MB + 12_345) {
      writeSync(fd, Buffer.from(`marker@${offset}`), 0, undefined, offset);
    }
  } finally {
    closeSync(fd);
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer); // fs streams without an encoding yield Buffers
  }
  return hash.digest("hex");
}

describe("download of a 200 MB file", () => {
  let fixture: Fixture;
  let expectedHash: string;
  beforeAll(async () => {
    fixture = await startFixture();
    const path = join(fixture.videoDir, "big.mp4");
    createBigFile(path);
    expectedHash = await hashFile(path);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it("streams it byte-exactly while the process RSS grows by less than 50 MB", async () => {
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const hash = createHash("sha256");
    const { body, size } = await fixture.client.download("big.mp4", {
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage.rss());
      },
    });
    expect(size).toBe(SIZE);
    let received = 0;
    const reader = body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      hash.update(next.value);
      received += next.value.byteLength;
    }
    const growth = peak - baseline;
    console.log(
      `200 MB download: RSS baseline ${(baseline / MB).toFixed(1)} MB, peak growth ${(growth / MB).toFixed(1)} MB`,
    );
    expect(received).toBe(SIZE);
    expect(hash.digest("hex")).toBe(expectedHash);
    expect(growth).toBeLessThan(RSS_BUDGET);
  }, 120_000);
});
