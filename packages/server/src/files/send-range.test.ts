import { closeSync, openSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../test-support/server.js";
import { sendRange } from "./send-range.js";

const DIGITS = "123456789";
let dir: string;
let fd: number;

beforeAll(() => {
  dir = makeTempDir("reel-send-range-");
  writeFileSync(join(dir, "digits.mp4"), DIGITS);
  fd = openSync(join(dir, "digits.mp4"), "r");
});

afterAll(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** A sink that copies what it is given (the pooled buffers are reused after each write). */
function createSink(options: { highWaterMark?: number } = {}) {
  const chunks: string[] = [];
  const sink = new Writable({
    highWaterMark: options.highWaterMark ?? 16,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      setImmediate(callback);
    },
  });
  const done = new Promise<string>((resolve, reject) => {
    sink.once("finish", () => resolve(chunks.join("")));
    sink.once("error", reject);
  });
  return { sink, chunks, done };
}

describe("sendRange", () => {
  it("writes the inclusive range in chunks, ends the sink and releases once", async () => {
    const { sink, chunks, done } = createSink();
    let releases = 0;
    sendRange(sink, fd, 2, 7, 2, () => releases++);
    expect(await done).toBe("345678");
    expect(chunks).toEqual(["34", "56", "78"]);
    expect(releases).toBe(1);
  });

  it("waits for drain under backpressure and still sends every byte in order", async () => {
    const { sink, done } = createSink({ highWaterMark: 1 });
    let releases = 0;
    sendRange(sink, fd, 0, 8, 2, () => releases++);
    expect(await done).toBe(DIGITS);
    expect(releases).toBe(1);
  });

  it("destroys the sink rather than sending fewer bytes when the file ends early", async () => {
    const { sink, done } = createSink();
    let releases = 0;
    sendRange(sink, fd, 5, 20, 4, () => releases++);
    await expect(done).rejects.toThrow(/shrank/);
    expect(releases).toBe(1);
  });

  it("releases only after the read in flight lands when the sink closes, and never closes the fd", async () => {
    const events: string[] = [];
    const { sink } = createSink();
    sendRange(sink, fd, 0, 8, 4, () => events.push("release"));
    sink.destroy(); // the first read is in flight
    events.push("destroyed");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["destroyed", "release"]);
    // The descriptor is the caller's: still open and readable.
    const again = createSink();
    sendRange(again.sink, fd, 0, 2, 4, () => {});
    expect(await again.done).toBe("123");
  });
});
