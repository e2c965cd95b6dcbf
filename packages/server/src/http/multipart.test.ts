import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { planMultipart, type ReadAt, streamMultipart } from "./multipart.js";

const FILE = Buffer.from("123456789");
const readFromFile: ReadAt = async (position, length) => FILE.subarray(position, position + length);

const ranges = [
  { start: 0, end: 1 },
  { start: 6, end: 8 },
];

const EXPECTED =
  "--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-1/9\r\n\r\n12" +
  "\r\n--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 6-8/9\r\n\r\n789" +
  "\r\n--B--\r\n";

describe("planMultipart", () => {
  it("names the boundary in the response Content-Type", () => {
    expect(planMultipart(ranges, 9, "video/mp4", "B").contentType).toBe(
      "multipart/byteranges; boundary=B",
    );
  });

  it("computes the exact body length in advance", () => {
    expect(planMultipart(ranges, 9, "video/mp4", "B").length).toBe(Buffer.byteLength(EXPECTED));
  });

  it("draws a fresh random boundary when none is given", () => {
    const first = planMultipart(ranges, 9, "video/mp4").contentType;
    const second = planMultipart(ranges, 9, "video/mp4").contentType;
    expect(first).toMatch(/boundary=reel-[0-9a-f]{24}$/);
    expect(first).not.toBe(second);
  });
});

describe("streamMultipart", () => {
  it("sends every part with its own Content-Type and Content-Range (§14.6)", async () => {
    const plan = planMultipart(ranges, 9, "video/mp4", "B");
    let closed = 0;
    const body = await text(streamMultipart(plan, readFromFile, 1024, () => closed++));
    expect(body).toBe(EXPECTED);
    expect(closed).toBe(1);
  });

  it("reads no more than one chunk at a time", async () => {
    const reads: number[] = [];
    const readAt: ReadAt = async (position, length) => {
      reads.push(length);
      return readFromFile(position, length);
    };
    const plan = planMultipart(
      [
        { start: 0, end: 4 },
        { start: 7, end: 8 },
      ],
      9,
      "video/mp4",
      "B",
    );
    await text(streamMultipart(plan, readAt, 2, () => {}));
    expect(reads).toEqual([2, 2, 1, 2]);
  });

  it("reads only as fast as the consumer takes (backpressure)", async () => {
    let reads = 0;
    const readAt: ReadAt = async (position, length) => {
      reads++;
      return readFromFile(position, length);
    };
    const plan = planMultipart([{ start: 0, end: 8 }], 9, "video/mp4", "B");
    const stream = streamMultipart(plan, readAt, 1, () => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Nobody reads: at most the one-chunk buffer is filled, not all nine bytes.
    expect(reads).toBeLessThanOrEqual(2);
    stream.destroy();
  });

  it("runs onClose when the consumer destroys the body mid-way", async () => {
    const plan = planMultipart(ranges, 9, "video/mp4", "B");
    let closed = 0;
    const stream = streamMultipart(plan, readFromFile, 1, () => closed++);
    await new Promise<void>((resolve) => stream.once("data", () => resolve()));
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(1);
  });

  it("fails instead of padding when the file shrinks under it", async () => {
    const plan = planMultipart([{ start: 0, end: 20 }], 21, "video/mp4", "B");
    await expect(text(streamMultipart(plan, readFromFile, 4, () => {}))).rejects.toThrow(
      /file shrank/,
    );
  });
});
