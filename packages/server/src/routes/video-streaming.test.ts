/**
 * Streaming under load and abuse: concurrent random ranges, an abusive multi-range header,
 * aborted downloads (file descriptors back to baseline), and backpressure (memory stays bounded).
 */
import { randomBytes, randomInt } from "node:crypto";
import { closeSync, ftruncateSync, openSync, readdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundaryOf, parseMultipart } from "../test-support/multipart-parser.js";
import { rawRequest } from "../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

const CHUNK_SIZE = 64 * 1024;
const RANDOM_SIZE = 4 * 1024 * 1024 + 123; // not a multiple of the chunk size
const SPARSE_SIZE = 256 * 1024 * 1024; // costs no disk: a hole reads as zeros

// Whole file, open-ended (what Chromium sends), and multipart: each owns its descriptor.
const ABORTED_RANGES = [undefined, "bytes=1000-", "bytes=0-50000000,100000000-150000000"];

let server: TestServer;
let random: Buffer;

function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return predicate();
}

/** Starts a download and destroys the socket as soon as the first body chunk arrives. */
function abortAfterFirstChunk(path: string, range?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        path,
        agent: false,
        headers: range ? { Range: range } : {},
      },
      (res) => {
        res.once("data", (chunk: Buffer) => {
          req.destroy();
          resolve(chunk.length);
        });
        res.once("error", () => {});
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET") {
        reject(error);
      }
    });
    req.end();
  });
}

beforeAll(async () => {
  server = await startTestServer({ chunkSize: CHUNK_SIZE });
  random = randomBytes(RANDOM_SIZE);
  writeFileSync(join(server.videoDir, "random.mp4"), random);
  const fd = openSync(join(server.videoDir, "sparse.mp4"), "w");
  ftruncateSync(fd, SPARSE_SIZE);
  closeSync(fd);
});

afterAll(async () => {
  await server.close();
});

describe("streaming", () => {
  it("answers 200 concurrent random ranges, every one byte-exact", async () => {
    const ranges = Array.from({ length: 200 }, () => {
      const start = randomInt(RANDOM_SIZE);
      const end = Math.min(RANDOM_SIZE - 1, start + randomInt(512 * 1024));
      return { start, end };
    });
    const responses = await Promise.all(
      ranges.map(({ start, end }) =>
        rawRequest(server.port, "/api/video/random.mp4", {
          headers: { Range: `bytes=${start}-${end}` },
        }),
      ),
    );
    responses.forEach((response, index) => {
      const { start, end } = ranges[index] ?? { start: 0, end: 0 };
      expect(response.status).toBe(206);
      expect(response.headers["content-range"]).toBe(`bytes ${start}-${end}/${RANDOM_SIZE}`);
      expect(response.body.equals(random.subarray(start, end + 1))).toBe(true);
    });
  });

  it("sends a whole file larger than many chunks byte-exact", async () => {
    const response = await rawRequest(server.port, "/api/video/random.mp4");
    expect(response.status).toBe(200);
    expect(response.body.equals(random)).toBe(true);
  });

  it("sends a multipart body whose parts match the file byte for byte", async () => {
    const parts = [
      [RANDOM_SIZE - 100, RANDOM_SIZE - 1],
      [10, 200_000],
      [1_000_000, 1_300_000],
    ] as const;
    const header = `bytes=${parts.map(([a, b]) => `${a}-${b}`).join(",")}`;
    const response = await rawRequest(server.port, "/api/video/random.mp4", {
      headers: { Range: header },
    });
    expect(response.status).toBe(206);
    expect(Number(response.headers["content-length"])).toBe(response.body.length);
    const parsed = parseMultipart(response.body, boundaryOf(response.headers["content-type"]));
    const sorted = [...parts].sort((x, y) => x[0] - y[0]);
    expect(parsed).toHaveLength(3);
    parsed.forEach((part, index) => {
      const [start, end] = sorted[index] ?? [0, 0];
      expect(part.headers["content-range"]).toBe(`bytes ${start}-${end}/${RANDOM_SIZE}`);
      expect(part.body.equals(random.subarray(start, end + 1))).toBe(true);
    });
  });

  describe("an abusive Range of 1,000 parts", () => {
    it.each([
      ["overlapping", (i: number) => `${i}-${i + 100_000}`],
      ["scattered", (i: number) => `${i * 4000}-${i * 4000}`],
    ])("is answered fast with a body no bigger than the file (%s)", async (_, part) => {
      const header = `bytes=${Array.from({ length: 1000 }, (_, i) => part(i)).join(",")}`;
      const startedAt = performance.now();
      const response = await rawRequest(server.port, "/api/video/random.mp4", {
        headers: { Range: header },
      });
      const elapsed = performance.now() - startedAt;
      expect(response.status).toBe(200);
      expect(response.body.length).toBe(RANDOM_SIZE);
      expect(elapsed).toBeLessThan(1000);
    });
  });

  describe("aborted downloads", () => {
    it("release their file descriptors: 300 aborts after the first chunk, back to baseline", async () => {
      await rawRequest(server.port, "/api/video/random.mp4", { headers: { Range: "bytes=0-0" } });
      const baseline = openDescriptors();
      let peak = baseline;
      for (let batch = 0; batch < 6; batch++) {
        const sizes = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            abortAfterFirstChunk("/api/video/sparse.mp4", ABORTED_RANGES[i % 3]),
          ),
        );
        peak = Math.max(peak, openDescriptors());
        expect(sizes.every((size) => size > 0)).toBe(true);
      }
      const settled = await waitFor(() => openDescriptors() <= baseline, 3000);
      expect({ settled, now: openDescriptors(), baseline, peak }).toMatchObject({
        settled: true,
      });
    });
  });

  describe("backpressure", () => {
    it("reads ahead only a little for a client that stops reading", async () => {
      const before = process.memoryUsage().arrayBuffers;
      const received = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port: server.port, path: "/api/video/sparse.mp4", agent: false },
          (res) => {
            let bytes = 0;
            res.on("data", (chunk: Buffer) => {
              bytes += chunk.length;
            });
            res.pause(); // stop reading: only socket buffers and one chunk should fill
            setTimeout(() => {
              req.destroy();
              resolve(bytes);
            }, 500);
          },
        );
        req.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code !== "ECONNRESET") {
            reject(error);
          }
        });
        req.end();
      });
      const grown = process.memoryUsage().arrayBuffers - before;
      // Without backpressure the 256 MB file would be read into memory within 500 ms.
      expect(received).toBeLessThan(SPARSE_SIZE);
      expect(grown).toBeLessThan(32 * 1024 * 1024);
    });
  });
});
