/**
 * `sendBody` over a real socket with a real directory store handle: every planned body comes out
 * byte for byte, the handle is released exactly once on every path, and a representation that
 * shrinks mid-read is reported one way (rejection) with the response cut short.
 */
import { writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Koa from "koa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { createDirectoryStore, type DirectoryStore } from "../storage/directory/directory-store.js";
import { RepresentationChangedError, type VideoHandle } from "../storage/store.js";
import { makeTempDir } from "../test-support/server.js";
import { planMultipart } from "./multipart.js";
import { type PlannedBody, sendBody } from "./send-body.js";

const DIGITS = "123456789";
const EXPECTED_MULTIPART =
  "--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-1/9\r\n\r\n12" +
  "\r\n--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 6-8/9\r\n\r\n789" +
  "\r\n--B--\r\n";

let dir: string;
let store: DirectoryStore;
let server: Server;
let port: number;
let releases = 0;
let plan: (handle: VideoHandle) => { body: PlannedBody; length: number };
let outcome: Promise<unknown>;

beforeAll(async () => {
  dir = makeTempDir("reel-send-body-");
  writeFileSync(join(dir, "digits.mp4"), DIGITS);
  writeFileSync(join(dir, "big.mp4"), Buffer.alloc(300_000, 7));
  // chunkSize 2 makes every streamed body several reads long.
  store = createDirectoryStore({
    videoDir: dir,
    chunkSize: 2,
    stableMs: 0,
    logger: createLogger("silent"),
  });
  const app = new Koa();
  app.use(async (ctx) => {
    const opened = await store.open(ctx.path.slice(1));
    if (opened === undefined) {
      throw new Error("fixture missing");
    }
    let released = false;
    const handle: VideoHandle = {
      ...opened,
      release() {
        if (!released) {
          released = true;
          releases++;
        }
        opened.release();
      },
    };
    const { body, length } = plan(handle);
    ctx.status = 200;
    ctx.length = length;
    outcome = sendBody(ctx, handle, body, { smallBody: 4 }).then(
      () => "sent",
      (error: unknown) => error,
    );
    await outcome;
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port; // TCP, so never a string
});

afterEach(() => {
  releases = 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  store.close();
});

/** GETs `/name` and collects the body; `aborted` when the server cut the response short. */
function fetchBody(name: string, abortAfterFirstChunk = false) {
  return new Promise<{ body: string; aborted: boolean }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: `/${name}`, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (abortAfterFirstChunk) {
          req.destroy();
          resolve({ body: "", aborted: true });
        }
      });
      res.on("end", () => resolve({ body: Buffer.concat(chunks).toString(), aborted: false }));
      res.on("aborted", () => resolve({ body: Buffer.concat(chunks).toString(), aborted: true }));
    });
    req.on("error", (error) => (abortAfterFirstChunk ? undefined : reject(error)));
    req.end();
  });
}

describe("sendBody", () => {
  it("sends a small range as one buffer and releases once", async () => {
    plan = () => ({ body: { kind: "range", start: 1, end: 3 }, length: 3 });
    expect(await fetchBody("digits.mp4")).toEqual({ body: "234", aborted: false });
    expect(await outcome).toBe("sent");
    expect(releases).toBe(1);
  });

  it("streams a larger range in chunk-sized reads and releases once", async () => {
    plan = () => ({ body: { kind: "range", start: 0, end: 8 }, length: 9 });
    expect(await fetchBody("digits.mp4")).toEqual({ body: DIGITS, aborted: false });
    expect(await outcome).toBe("sent");
    expect(releases).toBe(1);
  });

  it("sends every multipart part with its own Content-Type and Content-Range (§14.6)", async () => {
    const multipart = planMultipart(
      [
        { start: 0, end: 1 },
        { start: 6, end: 8 },
      ],
      9,
      "video/mp4",
      "B",
    );
    plan = () => ({ body: { kind: "multipart", plan: multipart }, length: multipart.length });
    expect(await fetchBody("digits.mp4")).toEqual({ body: EXPECTED_MULTIPART, aborted: false });
    expect(await outcome).toBe("sent");
    expect(releases).toBe(1);
  });

  it("sends no body for `none` and still releases once", async () => {
    plan = () => ({ body: { kind: "none" }, length: 0 });
    expect(await fetchBody("digits.mp4")).toEqual({ body: "", aborted: false });
    expect(releases).toBe(1);
  });

  it("releases once when the client goes away mid-body", async () => {
    plan = (handle) => ({
      body: { kind: "range", start: 0, end: handle.size - 1 },
      length: handle.size,
    });
    await fetchBody("big.mp4", true);
    expect(await outcome).toBe("sent"); // nothing left to do once the client is gone
    expect(releases).toBe(1);
  });

  it.each<[string, (size: number) => PlannedBody]>([
    ["a streamed range", () => ({ kind: "range", start: 0, end: 20 })],
    [
      "a multipart part",
      (size) => ({
        kind: "multipart",
        plan: planMultipart([{ start: 0, end: 20 }], size, "video/mp4", "B"),
      }),
    ],
  ])("cuts the response short and rejects once when %s outruns the file", async (_what, body) => {
    plan = (handle) => ({ body: body(handle.size), length: 200 });
    // Never a response that looks complete: the body is cut short, or, when the shrink is found
    // before the first bytes left the socket's buffer (a read served from the page cache comes
    // back at once), the connection closes with no response at all ("socket hang up").
    const received = await fetchBody("digits.mp4").catch((error: NodeJS.ErrnoException) => ({
      body: "",
      aborted: error.code === "ECONNRESET",
    }));
    expect(received.aborted).toBe(true);
    expect(await outcome).toBeInstanceOf(RepresentationChangedError);
    expect(releases).toBe(1);
  });

  it("rejects before sending anything when a small range outruns the file", async () => {
    plan = () => ({ body: { kind: "range", start: 7, end: 9 }, length: 3 });
    await fetchBody("digits.mp4").catch(() => undefined);
    expect(await outcome).toBeInstanceOf(RepresentationChangedError);
    expect(releases).toBe(1);
  });
});
