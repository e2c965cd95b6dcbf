import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createReelClient, ReelApiError } from "./index.js";
import { downloadToFile } from "./node.js";
import { type CuttingRelay, startCuttingRelay } from "./test-support/cutting-relay.js";
import { compareBytes, type Fixture, randomFile, startFixture } from "./test-support/fixture.js";

const MB = 1024 * 1024;
const original = randomFile(6 * MB);

describe("downloadToFile against a real server", () => {
  let fixture: Fixture;
  let outDir: string;
  let target: string;
  beforeAll(async () => {
    fixture = await startFixture({ "movie.mp4": original });
  });
  afterAll(async () => {
    await fixture.close();
  });
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), "reel-download-"));
    target = join(outDir, "movie.mp4");
  });
  afterEach(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  /** Starts a download and aborts it once `limit` bytes are held; returns the error. */
  async function interruptAfter(limit: number, path = target): Promise<unknown> {
    const controller = new AbortController();
    return downloadToFile(fixture.client, "movie.mp4", path, {
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= limit) {
          controller.abort();
        }
      },
    }).catch((caught: unknown) => caught);
  }

  it("writes the whole file and leaves no .part behind", async () => {
    const { etag } = await fixture.client.getVideo("movie.mp4");
    const result = await downloadToFile(fixture.client, "movie.mp4", target);
    expect(result).toEqual({
      path: target,
      size: original.byteLength,
      etag,
      resumedFrom: 0,
      attempts: 1,
    });
    expect(compareBytes(readFileSync(target), original)).toBe("equal");
    expect(existsSync(`${target}.part`)).toBe(false);
    expect(existsSync(`${target}.part.etag`)).toBe(false);
  });

  it("leaves a .part and its ETag when aborted, and never the target", async () => {
    const error = await interruptAfter(MB);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(ReelApiError);
    expect(existsSync(target)).toBe(false);
    const partSize = statSync(`${target}.part`).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(original.byteLength);
    expect(compareBytes(readFileSync(`${target}.part`), original.subarray(0, partSize))).toBe(
      "equal",
    );
    expect(readFileSync(`${target}.part.etag`, "utf8")).toBe(
      (await fixture.client.getVideo("movie.mp4")).etag,
    );
  });

  it("completes an aborted download byte-exactly, resuming at the .part's size", async () => {
    await interruptAfter(2 * MB);
    const partSize = statSync(`${target}.part`).size;
    const seen: number[] = [];
    const result = await downloadToFile(fixture.client, "movie.mp4", target, {
      onProgress: ({ loaded }) => seen.push(loaded),
    });
    expect(result.resumedFrom).toBe(partSize);
    expect(seen[0]).toBe(partSize);
    expect(seen.at(-1)).toBe(original.byteLength);
    expect(compareBytes(readFileSync(target), original)).toBe("equal");
    expect(existsSync(`${target}.part`)).toBe(false);
    expect(existsSync(`${target}.part.etag`)).toBe(false);
  });

  it("survives several interruptions in a row", async () => {
    await interruptAfter(MB);
    await interruptAfter(3 * MB);
    const result = await downloadToFile(fixture.client, "movie.mp4", target);
    expect(result.resumedFrom).toBeGreaterThanOrEqual(3 * MB);
    expect(compareBytes(readFileSync(target), original)).toBe("equal");
  });

  it("starts over when the file changed on the server since the .part was written", async () => {
    // A .part of some other version of the file, under that version's ETag.
    writeFileSync(`${target}.part`, randomFile(MB));
    writeFileSync(`${target}.part.etag`, '"some-older-version"');
    const result = await downloadToFile(fixture.client, "movie.mp4", target);
    expect(result.resumedFrom).toBe(0);
    expect(compareBytes(readFileSync(target), original)).toBe("equal");
  });

  it("starts over when the .part has no ETag beside it", async () => {
    writeFileSync(`${target}.part`, original.subarray(0, MB));
    const result = await downloadToFile(fixture.client, "movie.mp4", target);
    expect(result.resumedFrom).toBe(0);
    expect(compareBytes(readFileSync(target), original)).toBe("equal");
  });

  it("finishes a .part that already holds the whole file without fetching it again", async () => {
    const { etag } = await fixture.client.getVideo("movie.mp4");
    writeFileSync(`${target}.part`, original);
    writeFileSync(`${target}.part.etag`, etag);
    const result = await downloadToFile(fixture.client, "movie.mp4", target);
    expect(result).toEqual({
      path: target,
      size: original.byteLength,
      etag,
      resumedFrom: original.byteLength,
      attempts: 1,
    });
    expect(compareBytes(readFileSync(target), original)).toBe("equal");
  });

  it("throws ReelApiError 404 and writes nothing for a missing file", async () => {
    await expect(downloadToFile(fixture.client, "missing.mp4", target)).rejects.toMatchObject({
      status: 404,
      detail: "Video not found: missing.mp4",
    });
    expect(existsSync(`${target}.part`)).toBe(false);
  });
});

describe("downloadToFile when the connection is cut off midway", () => {
  const CUT_AFTER = 2 * MB; // bytes of the answer that get through before the cut
  let fixture: Fixture;
  let relay: CuttingRelay | undefined;
  let outDir: string;
  let target: string;
  beforeAll(async () => {
    fixture = await startFixture({ "movie.mp4": original });
  });
  afterAll(async () => {
    await fixture.close();
  });
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), "reel-download-cut-"));
    target = join(outDir, "movie.mp4");
  });
  afterEach(async () => {
    await relay?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  /** A client whose first `cuts` connections are cut off after `CUT_AFTER` bytes. */
  async function clientCutOff(cuts: number) {
    relay = await startCuttingRelay(fixture.server.port, { cuts, afterBytes: CUT_AFTER });
    return createReelClient({ baseUrl: relay.url });
  }

  it("resumes by itself from what arrived, and the file is byte-exact", async () => {
    const client = await clientCutOff(2);
    const result = await downloadToFile(client, "movie.mp4", target, { retryDelayMs: 1 });
    expect(result.attempts).toBe(3);
    expect(relay?.connections()).toBe(3);
    // The last attempt continued where the second was cut off: two cuts' worth, minus headers.
    expect(result.resumedFrom).toBeGreaterThan(CUT_AFTER);
    expect(result.resumedFrom).toBeLessThan(2 * CUT_AFTER);
    expect(compareBytes(readFileSync(target), original)).toBe("equal");
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it("fails with the network error once its retries run out, keeping the .part", async () => {
    const client = await clientCutOff(2);
    const error = await downloadToFile(client, "movie.mp4", target, {
      retries: 1,
      retryDelayMs: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(relay?.connections()).toBe(2);
    expect(existsSync(target)).toBe(false);
    const partSize = statSync(`${target}.part`).size;
    expect(compareBytes(readFileSync(`${target}.part`), original.subarray(0, partSize))).toBe(
      "equal",
    );
  });

  it("never retries a 4xx answer", async () => {
    const client = await clientCutOff(0);
    await expect(
      downloadToFile(client, "missing.mp4", target, { retryDelayMs: 1 }),
    ).rejects.toMatchObject({ status: 404 });
    expect(relay?.connections()).toBe(1);
  });
});

describe("downloadToFile when the file is replaced between two calls", () => {
  it("restarts at 0 and the result equals the new file", async () => {
    const fixture = await startFixture({ "clip.mp4": original });
    const outDir = mkdtempSync(join(tmpdir(), "reel-download-"));
    const target = join(outDir, "clip.mp4");
    try {
      const controller = new AbortController();
      await downloadToFile(fixture.client, "clip.mp4", target, {
        signal: controller.signal,
        onProgress: ({ loaded }) => loaded >= MB && controller.abort(),
      }).catch(() => undefined);
      expect(statSync(`${target}.part`).size).toBeGreaterThan(0);

      const replacement = randomFile(5 * MB);
      fixture.write("clip.mp4", replacement);
      const result = await downloadToFile(fixture.client, "clip.mp4", target);
      expect(result.resumedFrom).toBe(0);
      expect(result.size).toBe(replacement.byteLength);
      expect(compareBytes(readFileSync(target), replacement)).toBe("equal");
    } finally {
      rmSync(outDir, { recursive: true, force: true });
      await fixture.close();
    }
  });
});
