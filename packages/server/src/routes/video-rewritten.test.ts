/**
 * A file rewritten in place (`cp new old`: truncate, then write) between the moment the route
 * learns its size and the moment it reads: the read comes back short before a byte was sent, and
 * the route answers again from what the file holds now, never a 500.
 */
import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { VideoStore } from "../storage/store.js";
import { rawRequest } from "../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

const OLD = Buffer.alloc(20_000, 0x61); // bytes
const NEW = Buffer.alloc(5_000, 0x62); // bytes

/** Rewrites `path` in place (same inode) right after the store's first `open` of it, once. */
function rewriteAfterFirstOpen(store: VideoStore, path: string): void {
  const open = store.open.bind(store);
  let rewritten = false;
  store.open = async (name, options) => {
    const handle = await open(name, options);
    if (!rewritten) {
      rewritten = true;
      truncateSync(path, 0);
      writeFileSync(path, NEW);
    }
    return handle;
  };
}

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("a video rewritten in place while it is asked for", () => {
  it.each<{
    what: string;
    headers: Record<string, string>;
    status: number;
    contentRange: string | undefined;
  }>([
    {
      what: "a range",
      headers: { Range: "bytes=0-9999" },
      status: 206,
      contentRange: `bytes 0-${NEW.length - 1}/${NEW.length}`,
    },
    { what: "the whole file", headers: {}, status: 200, contentRange: undefined },
  ])("is answered from its new bytes: $what", async ({ headers, status, contentRange }) => {
    // One process: the test wraps that process's store.
    server = await startTestServer({ workers: 1 });
    const path = join(server.videoDir, "rewritten.mp4");
    writeFileSync(path, OLD);
    rewriteAfterFirstOpen(server.store, path);
    const response = await rawRequest(server.port, "/api/video/rewritten.mp4", { headers });
    expect(response.status).toBe(status);
    expect(response.headers["content-range"]).toBe(contentRange);
    expect(response.headers["content-length"]).toBe(String(NEW.length));
    expect(response.body.equals(NEW)).toBe(true);
  });
});
