import { truncateSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../test-support/memory-logger.js";
import { rawRequest } from "../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

const { logger, lines, waitForLine } = createMemoryLogger();
const BIG_SIZE = 64 * 1024 * 1024; // bytes
let server: TestServer;

/**
 * Waits for the access log line of the last request. It is written when the server sees the
 * response close, which can come after the client has read the whole body: wait for the line
 * itself, however long a busy machine takes, rather than poll against a deadline.
 */
async function accessLine(path: string): Promise<Record<string, unknown>> {
  const line = await waitForLine((candidate) => candidate.path === path);
  expect(lines.filter((candidate) => candidate.path === path)).toHaveLength(1); // one per request
  lines.length = 0;
  return line;
}

beforeAll(async () => {
  server = await startTestServer({ logger });
  writeFileSync(join(server.videoDir, "a.mp4"), Buffer.alloc(1024 * 1024, 1));
  // Larger than loopback's socket buffers can ever hold (a few MiB), so a client that stops
  // reading always leaves the response unfinished, however fast the server writes.
  writeFileSync(join(server.videoDir, "big.mp4"), "");
  truncateSync(join(server.videoDir, "big.mp4"), BIG_SIZE);
  lines.length = 0;
});

afterAll(async () => {
  await server.close();
});

describe("the access log", () => {
  it("writes one structured line per request: method, path, status, bytes, range, ms", async () => {
    await rawRequest(server.port, "/api/video/a.mp4", { headers: { Range: "bytes=0-99" } });
    const line = await accessLine("/api/video/a.mp4");
    expect(line).toMatchObject({
      level: 30,
      method: "GET",
      path: "/api/video/a.mp4",
      status: 206,
      range: "bytes=0-99",
      aborted: false,
    });
    // Bytes on the wire: the 100-byte body plus the status line and headers.
    expect(line.bytes).toBeGreaterThan(100);
    expect(line.bytes).toBeLessThan(1000);
    expect(typeof line.ms).toBe("number");
  });

  it("logs an error response with its status", async () => {
    await rawRequest(server.port, "/api/video/missing.mp4");
    expect(await accessLine("/api/video/missing.mp4")).toMatchObject({ status: 404 });
  });

  it("marks a download the client aborted", async () => {
    await new Promise<void>((resolve) => {
      const req = request(
        { host: "127.0.0.1", port: server.port, path: "/api/video/big.mp4", agent: false },
        (res) => {
          res.once("data", () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on("error", () => {});
      req.end();
    });
    const line = await accessLine("/api/video/big.mp4");
    expect(line).toMatchObject({ status: 200, aborted: true });
    expect(line.bytes).toBeLessThan(BIG_SIZE);
  });
});
