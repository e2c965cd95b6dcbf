import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ReelApiError } from "./index.js";
import { downloadToFile } from "./node.js";
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
    expect(result).toEqual({ path: target, size: original.byteLength, etag, resumedFrom: 0 });
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
