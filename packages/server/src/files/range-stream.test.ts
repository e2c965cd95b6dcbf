import { closeSync, openSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../test-support/server.js";
import { createRangeStream } from "./range-stream.js";

const DIGITS = "123456789";
let dir: string;
let fd: number;

beforeAll(() => {
  dir = makeTempDir("reel-range-stream-");
  writeFileSync(join(dir, "digits.mp4"), DIGITS);
  fd = openSync(join(dir, "digits.mp4"), "r");
});

afterAll(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) {
    text += chunk.toString();
  }
  return text;
}

describe("createRangeStream", () => {
  it("streams the inclusive range in chunks and calls onClose once at the end", async () => {
    let closes = 0;
    const text = await collect(createRangeStream(fd, 2, 7, 2, () => closes++));
    expect(text).toBe("345678");
    expect(closes).toBe(1);
  });

  it("fails rather than sending fewer bytes when the file ends early", async () => {
    let closes = 0;
    await expect(collect(createRangeStream(fd, 5, 20, 4, () => closes++))).rejects.toThrow(
      /shrank/,
    );
    expect(closes).toBe(1);
  });

  it("waits for the read in flight before calling onClose when destroyed, and never closes the fd", async () => {
    const events: string[] = [];
    const stream = createRangeStream(fd, 0, 8, 4, () => events.push("onClose"));
    stream.read(0); // starts the first read
    stream.destroy();
    events.push("destroyed");
    await new Promise((resolve) => stream.once("close", resolve));
    expect(events).toEqual(["destroyed", "onClose"]);
    // The descriptor is the caller's: still open and readable.
    expect(await collect(createRangeStream(fd, 0, 2, 4, () => {}))).toBe("123");
  });
});
