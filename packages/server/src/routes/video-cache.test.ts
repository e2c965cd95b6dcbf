/**
 * The stream route over its shared descriptor cache, black-box: a replaced, rewritten, retargeted
 * or deleted file is never answered from a stale descriptor, and downloads in flight keep their
 * own version byte for byte across replacements and evictions.
 */
import { randomBytes } from "node:crypto";
import {
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { type IncomingMessage, request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strongEtagOf } from "../storage/directory/validators.js";
import { rawRequest } from "../test-support/raw-request.js";
import { makeTempDir, startTestServer, type TestServer } from "../test-support/server.js";

// Far more than loopback socket buffers hold: the server stream stays in flight while paused.
const BIG = 24 * 1024 * 1024 + 17;
let server: TestServer;
let outside: string;

/** A GET whose body is not read until `finish()` is called: the server's stream stays open. */
async function startPausedDownload(name: string): Promise<{ finish(): Promise<Buffer> }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path: `/api/video/${name}`, agent: false },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
  res.pause();
  return {
    finish: () =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve(Buffer.concat(chunks)));
        res.on("error", reject);
        res.resume();
      }),
  };
}

function replace(name: string, content: Buffer | string): void {
  writeFileSync(join(server.videoDir, `${name}.tmp`), content);
  renameSync(join(server.videoDir, `${name}.tmp`), join(server.videoDir, name));
}

function startServer(): Promise<TestServer> {
  // One process: the descriptor cache and its exact occupancy (`openCount`) are per process.
  return startTestServer({ chunkSize: 64 * 1024, fileCache: { maxEntries: 2 }, workers: 1 });
}

/** Replaces the shared server with one whose cache is empty. */
async function useFreshServer(): Promise<void> {
  await server.close();
  server = await startServer();
}

beforeAll(async () => {
  server = await startServer();
  outside = makeTempDir("reel-outside-");
  writeFileSync(join(outside, "secret.mp4"), "secret");
});

afterAll(async () => {
  await server.close();
  rmSync(outside, { recursive: true, force: true });
});

describe("GET /api/video/{filename} over the descriptor cache", () => {
  it("answers every request after a rename with the new bytes and ETag (200 iterations)", async () => {
    for (let version = 0; version < 200; version++) {
      const content = `version ${version}${".".repeat(version % 5)}`;
      replace("swap.mp4", content);
      const etag = strongEtagOf(statSync(join(server.videoDir, "swap.mp4")));
      const [whole, ranged] = await Promise.all([
        rawRequest(server.port, "/api/video/swap.mp4"),
        rawRequest(server.port, "/api/video/swap.mp4", { headers: { Range: "bytes=0-7" } }),
      ]);
      expect(whole.body.toString()).toBe(content);
      expect(whole.headers.etag).toBe(etag);
      expect(ranged.body.toString()).toBe(content.slice(0, 8));
      expect(ranged.headers.etag).toBe(etag);
    }
  });

  it("finishes downloads in flight with the old bytes while new requests get the new file", async () => {
    await useFreshServer(); // descriptor counts below must not include other tests' entries
    for (let round = 0; round < 2; round++) {
      const old = randomBytes(BIG);
      const fresh = randomBytes(BIG - 1000);
      replace("big.mp4", old);
      const inFlight = await Promise.all([
        startPausedDownload("big.mp4"),
        startPausedDownload("big.mp4"),
      ]);
      replace("big.mp4", fresh);
      const now = await rawRequest(server.port, "/api/video/big.mp4");
      expect(now.body.equals(fresh)).toBe(true);
      // The old descriptor is retired but still open: the two downloads are really in flight.
      expect(server.store.openCount()).toBe(2);
      const bodies = await Promise.all(inFlight.map((download) => download.finish()));
      for (const body of bodies) {
        expect(body.equals(old)).toBe(true);
      }
    }
  });

  it("sends fresh length, ETag and bytes for a file rewritten in place or truncated", async () => {
    const path = join(server.videoDir, "inplace.mp4");
    writeFileSync(path, "0123456789");
    expect((await rawRequest(server.port, "/api/video/inplace.mp4")).body.toString()).toBe(
      "0123456789",
    );
    writeFileSync(path, "abcdefghijklmnop"); // same inode
    const rewritten = await rawRequest(server.port, "/api/video/inplace.mp4");
    expect(rewritten.body.toString()).toBe("abcdefghijklmnop");
    expect(rewritten.headers.etag).toBe(strongEtagOf(statSync(path)));
    truncateSync(path, 3);
    const truncated = await rawRequest(server.port, "/api/video/inplace.mp4", {
      headers: { Range: "bytes=1-" },
    });
    expect(truncated.status).toBe(206);
    expect(truncated.headers["content-range"]).toBe("bytes 1-2/3");
    expect(truncated.body.toString()).toBe("bc");
  });

  it("answers 404 once a cached symlink is retargeted outside VIDEO_DIR", async () => {
    writeFileSync(join(server.videoDir, "inside.mp4"), "inside");
    symlinkSync(join(server.videoDir, "inside.mp4"), join(server.videoDir, "link.mp4"));
    expect((await rawRequest(server.port, "/api/video/link.mp4")).body.toString()).toBe("inside");
    unlinkSync(join(server.videoDir, "link.mp4"));
    symlinkSync(join(outside, "secret.mp4"), join(server.videoDir, "link.mp4"));
    const response = await rawRequest(server.port, "/api/video/link.mp4");
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain("secret");
  });

  it("answers 404 once a cached file is deleted", async () => {
    writeFileSync(join(server.videoDir, "gone.mp4"), "here");
    expect((await rawRequest(server.port, "/api/video/gone.mp4")).status).toBe(200);
    unlinkSync(join(server.videoDir, "gone.mp4"));
    expect((await rawRequest(server.port, "/api/video/gone.mp4")).status).toBe(404);
  });

  it("completes a slow download byte-exactly across many evictions of its descriptor", async () => {
    await useFreshServer();
    const slow = randomBytes(BIG);
    writeFileSync(join(server.videoDir, "slow.mp4"), slow);
    const download = await startPausedDownload("slow.mp4");
    for (let i = 0; i < 20; i++) {
      writeFileSync(join(server.videoDir, `other-${i}.mp4`), `other ${i}`);
      const other = await rawRequest(server.port, `/api/video/other-${i}.mp4`);
      expect(other.body.toString()).toBe(`other ${i}`);
    }
    expect(server.store.openCount()).toBe(3); // 2 cached + the evicted one still being read
    expect((await download.finish()).equals(slow)).toBe(true);
    expect(server.store.openCount()).toBe(2);
  });
});
