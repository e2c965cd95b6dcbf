/**
 * A client that resets its request right after sending it (a seeking player does, over and over)
 * must not leave a descriptor reference behind, whether the server was still opening the file,
 * reading it, or about to start a multipart body: over HTTP/1.1 and over HTTP/2 alike.
 */
import { closeSync, ftruncateSync, openSync } from "node:fs";
import { constants } from "node:http2";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { VideoStore } from "../storage/store.js";
import { connectHttp2 } from "../test-support/h2-client.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

const SPARSE_SIZE = 256 * 1024 * 1024; // bytes; a hole reads as zeros and costs no disk
// Whole file, open-ended (what Chromium sends), and multipart: each owns its descriptor.
const RANGES = [undefined, "bytes=1000-", "bytes=0-50000000,100000000-150000000"];
const PER_RANGE = 50;
const REQUESTS = RANGES.length * PER_RANGE;

/**
 * Counts the handles the stream route takes from the app's own store and gives back (an observer
 * around the real store, which keeps doing the work).
 */
function countReferences(store: VideoStore): () => { taken: number; released: number } {
  const open = store.open.bind(store);
  const counts = { taken: 0, released: 0 };
  store.open = async (name) => {
    const handle = await open(name);
    if (handle !== undefined) {
      counts.taken += 1;
      const release = handle.release;
      let released = false;
      handle.release = () => {
        if (!released) {
          released = true;
          counts.released += 1;
        }
        release();
      };
    }
    return handle;
  };
  return () => ({ ...counts });
}

function writeSparse(server: Pick<TestServer, "videoDir">): void {
  const fd = openSync(join(server.videoDir, "sparse.mp4"), "w");
  ftruncateSync(fd, SPARSE_SIZE);
  closeSync(fd);
}

/** Sends the request on a new TCP connection and destroys it on the next turn of the loop. */
function resetHttp1(port: number, range: string | undefined): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      const rangeLine = range === undefined ? "" : `Range: ${range}\r\n`;
      socket.write(`GET /api/video/sparse.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\n${rangeLine}\r\n`);
      setImmediate(() => socket.destroy());
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve());
  });
}

describe("requests reset right after they are sent", () => {
  it("release every descriptor reference over HTTP/1.1", async () => {
    // One process: the test wraps that process's store and watches its node server.
    const server = await startTestServer({ workers: 1 });
    const references = countReferences(server.store);
    try {
      writeSparse(server);
      for (const range of RANGES) {
        await Promise.all(Array.from({ length: PER_RANGE }, () => resetHttp1(server.port, range)));
      }
      // Every request reaches the route (its bytes arrive before the close); each gives back
      // what it took, and the cached descriptor then closes after a second unused.
      await expect.poll(references, { timeout: 5000 }).toEqual({
        taken: REQUESTS,
        released: REQUESTS,
      });
      await expect.poll(() => server.store.openCount(), { timeout: 5000 }).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("release every descriptor reference over HTTP/2", async () => {
    const server = await startTestServer({ https: true, workers: 1 }); // as above
    const references = countReferences(server.store);
    let streamsClosed = 0;
    server.server.on("stream", (stream) => stream.once("close", () => (streamsClosed += 1)));
    const session = await connectHttp2(server.baseUrl, server.ca);
    try {
      writeSparse(server);
      for (const range of RANGES) {
        await Promise.all(
          Array.from(
            { length: PER_RANGE },
            () =>
              new Promise<void>((resolve) => {
                const stream = session.request({
                  ":path": "/api/video/sparse.mp4",
                  ...(range === undefined ? {} : { range }),
                });
                stream.on("error", () => {});
                stream.on("close", () => resolve());
                setImmediate(() => stream.close(constants.NGHTTP2_CANCEL));
                stream.end();
              }),
          ),
        );
      }
      // Once the server has seen every stream end, each reference taken has been given back.
      await expect.poll(() => streamsClosed, { timeout: 5000 }).toBe(REQUESTS);
      await expect.poll(references, { timeout: 5000 }).toMatchObject({
        released: references().taken,
      });
      expect(references().taken).toBeGreaterThan(0);
      await expect.poll(() => server.store.openCount(), { timeout: 5000 }).toBe(0);
    } finally {
      session.close();
      await server.close();
    }
  });
});
