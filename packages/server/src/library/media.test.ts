import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { makeTempDir } from "../test-support/server.js";
import { parseBoxHeader, type ReadBytes, readTopLevelLayout } from "./boxes.js";
import { readMediaInfo, rotationOfMatrix } from "./media.js";

/** A file's bytes `start..end` as a store handle's `read` gives them (short at the end). */
function fileReader(path: string): ReadBytes {
  return async (start, end) => {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(end - start + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
}

/** `readMediaInfo` of the file at `path`, read as `size` bytes long. */
const readMediaInfoAt = (path: string, size: number) => readMediaInfo(path, size, fileReader(path));

const sample = (name: string) => join(SAMPLES_DIR, name);
const sizeOf = (path: string) => statSync(path).size;

describe("readMediaInfo", () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir("reel-media-");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe("on the shipped samples", () => {
    it("reads a faststart H.264 + AAC file", async () => {
      const path = sample("sample_final.mp4");
      expect(await readMediaInfoAt(path, sizeOf(path))).toEqual({
        durationSeconds: 10,
        width: 320,
        height: 180,
        rotation: 0,
        videoCodec: expect.stringMatching(/^avc1\.64/),
        audioCodec: "mp4a.40.2",
        faststart: true,
      });
    });

    it("reports faststart false when moov follows mdat", async () => {
      const path = sample("late_moov.mp4");
      expect(await readMediaInfoAt(path, sizeOf(path))).toMatchObject({
        durationSeconds: 6,
        width: 320,
        height: 180,
        faststart: false,
      });
    });

    it("reads a name with a space and a non-ASCII letter", async () => {
      const path = sample("café clip.mp4");
      expect(await readMediaInfoAt(path, sizeOf(path))).toMatchObject({
        durationSeconds: 6,
        width: 320,
        height: 240,
        faststart: true,
      });
    });
  });

  describe("when the file cannot be parsed", () => {
    const truncations = [
      ["a faststart file cut inside moov", "sample_final.mp4", 5000],
      ["a faststart file cut inside mdat", "sample_final.mp4", 100_000],
      ["a late-moov file that lost its moov", "late_moov.mp4", 200_000],
    ] as const;
    for (const [title, source, length] of truncations) {
      it(`answers null for ${title}`, async () => {
        const path = join(dir, `cut-${length}-${source}`);
        writeFileSync(path, readFileSync(sample(source)).subarray(0, length));
        expect(await readMediaInfoAt(path, length)).toBeNull();
      });
    }

    it("answers null for bytes that are not MP4 at all", async () => {
      const path = join(dir, "noise.mp4");
      writeFileSync(path, Buffer.from("this is not a video, only some text\n".repeat(10)));
      expect(await readMediaInfoAt(path, sizeOf(path))).toBeNull();
    });

    it("answers null for an empty file and for a WebM with an empty EBML header", async () => {
      const empty = join(dir, "empty.mp4");
      writeFileSync(empty, "");
      const webm = join(dir, "clip.webm");
      writeFileSync(webm, Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]));
      expect(await readMediaInfoAt(empty, 0)).toBeNull();
      expect(await readMediaInfoAt(webm, 8)).toBeNull();
    });

    it("answers null for a missing file instead of throwing", async () => {
      expect(await readMediaInfoAt(join(dir, "gone.mp4"), 1000)).toBeNull();
    });
  });

  describe("reading only the header", () => {
    it("finds moov of a late-moov file with a handful of small header reads", async () => {
      const path = join(dir, "late.mp4");
      copyFileSync(sample("late_moov.mp4"), path);
      const reads: number[] = [];
      const read = fileReader(path);
      // Counts what the walker asks for: it must never request the mdat payload.
      const layout = await readTopLevelLayout((start, end) => {
        reads.push(end - start + 1);
        return read(start, end);
      }, sizeOf(path));
      expect(layout?.moov?.type).toBe("moov");
      expect(layout?.moovBeforeMdat).toBe(false);
      expect(reads.every((length) => length <= 16)).toBe(true);
      expect(reads.length).toBeLessThanOrEqual(5);
    });
  });
});

describe("parseBoxHeader", () => {
  it("reads a 64-bit largesize", () => {
    const header = Buffer.alloc(16);
    header.writeUInt32BE(1, 0);
    header.write("mdat", 4, "latin1");
    header.writeBigUInt64BE(5_000_000_000n, 8);
    expect(parseBoxHeader(header, 40, 6_000_000_000)).toEqual({
      type: "mdat",
      start: 40,
      size: 5_000_000_000,
    });
  });

  it("treats size 0 as running to the end of the file", () => {
    const header = Buffer.alloc(8);
    header.write("mdat", 4, "latin1");
    expect(parseBoxHeader(header, 100, 1000)).toEqual({ type: "mdat", start: 100, size: 900 });
  });

  it("refuses sizes below a header and non-printable types", () => {
    const tiny = Buffer.alloc(8);
    tiny.writeUInt32BE(4, 0);
    tiny.write("free", 4, "latin1");
    const binary = Buffer.from([0, 0, 0, 16, 0x1a, 0x45, 0xdf, 0xa3]);
    expect(parseBoxHeader(tiny, 0, 100)).toBeUndefined();
    expect(parseBoxHeader(binary, 0, 100)).toBeUndefined();
  });
});

describe("rotationOfMatrix", () => {
  const ONE = 0x10000; // 1.0 in 16.16 fixed point
  const matrix = (a: number, b: number, c: number, d: number) => [
    a,
    b,
    0,
    c,
    d,
    0,
    0,
    0,
    0x40000000,
  ];

  it.each([
    ["the identity", matrix(ONE, 0, 0, ONE), 0],
    ["a quarter turn clockwise", matrix(0, ONE, -ONE, 0), 90],
    ["a half turn", matrix(-ONE, 0, 0, -ONE), 180],
    ["a quarter turn counterclockwise", matrix(0, -ONE, ONE, 0), 270],
  ] as const)("reads %s as %i degrees", (_title, values, degrees) => {
    expect(rotationOfMatrix(values)).toBe(degrees);
  });

  it("reads negative entries handed over as unsigned words", () => {
    expect(rotationOfMatrix(Uint32Array.from(matrix(0, -ONE, ONE, 0)))).toBe(270);
  });
});
