/**
 * Resuming never splices two versions: the file is replaced between an interrupted download and
 * its resume by a different file of the same size whose mtime is set back (`cp -p`), which a
 * size + mtime validator cannot tell apart. Against a real server, as a download tool meets it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { downloadToFile } from "./node.js";
import {
  compareBytes,
  type Fixture,
  randomFile,
  readAll,
  startFixture,
} from "./test-support/fixture.js";

const MB = 1024 * 1024;
const SIZE = 4 * MB;
const MTIME = new Date("2026-05-06T07:08:09Z");

describe("resuming after a same-size replacement that keeps the mtime", () => {
  let fixture: Fixture;
  let outDir: string;
  let target: string;
  let original: Uint8Array;

  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), "reel-resume-"));
    target = join(outDir, "a_final.mp4");
    original = randomFile(SIZE);
    putVersion(original);
  });
  afterEach(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  /** Puts `bytes` under a_final.mp4 with the same old mtime, the way `cp -p` does. */
  function putVersion(bytes: Uint8Array): void {
    const source = join(outDir, "incoming.mp4");
    writeFileSync(source, bytes);
    utimesSync(source, MTIME, MTIME);
    execFileSync("cp", ["-p", source, join(fixture.videoDir, "a_final.mp4")]);
    expect(statSync(join(fixture.videoDir, "a_final.mp4")).mtime).toEqual(MTIME);
  }

  it("download with `from` gets the whole new file, offset 0", async () => {
    const first = await fixture.client.download("a_final.mp4");
    const reader = first.body.getReader();
    const held = (await reader.read()).value?.byteLength ?? 0;
    await reader.cancel();
    expect(held).toBeGreaterThan(0);

    const replacement = randomFile(SIZE);
    putVersion(replacement);
    const resumed = await fixture.client.download("a_final.mp4", {
      from: { offset: held, etag: first.etag },
    });
    expect(resumed.offset).toBe(0);
    expect(resumed.size).toBe(SIZE);
    expect(resumed.etag).not.toBe(first.etag);
    expect(compareBytes(await readAll(resumed.body), replacement)).toBe("equal");
  });

  it("downloadToFile starts over and ends with exactly the new file", async () => {
    const controller = new AbortController();
    const interrupted = await downloadToFile(fixture.client, "a_final.mp4", target, {
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= MB) {
          controller.abort();
        }
      },
    }).catch((caught: unknown) => caught);
    expect(interrupted).toMatchObject({ name: "AbortError" });
    const partSize = statSync(`${target}.part`).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(SIZE);

    const replacement = randomFile(SIZE);
    putVersion(replacement);
    const result = await downloadToFile(fixture.client, "a_final.mp4", target);
    expect(result.resumedFrom).toBe(0);
    expect(compareBytes(readFileSync(target), replacement)).toBe("equal");
    expect(compareBytes(readFileSync(target), original)).not.toBe("equal");
  });
});
