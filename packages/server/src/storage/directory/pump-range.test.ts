import { closeSync, openSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/server.js";
import { RepresentationChangedError } from "../store.js";
import { pumpRange } from "./pump-range.js";
import { createSmallReads } from "./small-reads.js";

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

// Both ways a chunk can be read: on the event loop (page cache), and through the thread pool
// (after a slow read, or a chunk larger than the loop takes).
describe.each([
  { how: "on the event loop", reads: createSmallReads() },
  { how: "through the thread pool", reads: createSmallReads({ maxLoopBytes: 0 }) },
])("pumpRange, reading $how", ({ how, reads }) => {
  afterAll(() => {
    // Every read of this block went the way it names.
    const { onLoop, inPool } = reads.counts;
    expect(how === "on the event loop" ? [onLoop > 0, inPool] : [inPool > 0, onLoop]).toEqual([
      true,
      0,
    ]);
  });

  it("writes the inclusive range in chunks, leaves the sink open and resolves once", async () => {
    const { sink, chunks, done } = createSink();
    await pumpRange(sink, fd, 2, 7, { chunkSize: 2, name: "digits.mp4", reads });
    expect(sink.writableEnded).toBe(false); // a multipart body writes on after a part
    sink.end();
    expect(await done).toBe("345678");
    expect(chunks).toEqual(["34", "56", "78"]);
  });

  it("waits for drain under backpressure and still sends every byte in order", async () => {
    const { sink, done } = createSink({ highWaterMark: 1 });
    await pumpRange(sink, fd, 0, 8, { chunkSize: 2, name: "digits.mp4", reads });
    sink.end();
    expect(await done).toBe(DIGITS);
  });

  it("rejects rather than sending fewer bytes when the file ends early", async () => {
    const { sink } = createSink();
    const pumped = pumpRange(sink, fd, 5, 20, { chunkSize: 4, name: "digits.mp4", reads });
    await expect(pumped).rejects.toBeInstanceOf(RepresentationChangedError);
    await expect(pumped).rejects.toThrow(/digits.mp4 shrank or changed while sending byte 9/);
  });

  it("resolves only after the read in flight lands when the sink closes, and never closes the fd", async () => {
    const events: string[] = [];
    const { sink } = createSink();
    const pumped = pumpRange(sink, fd, 0, 8, { chunkSize: 4, name: "digits.mp4", reads }).then(() =>
      events.push("resolved"),
    );
    sink.destroy(); // the first read is in flight
    events.push("destroyed");
    await pumped;
    expect(events).toEqual(["destroyed", "resolved"]);
    // The descriptor is the caller's: still open and readable.
    const again = createSink();
    await pumpRange(again.sink, fd, 0, 2, { chunkSize: 4, name: "digits.mp4", reads });
    again.sink.end();
    expect(await again.done).toBe("123");
  });
});
