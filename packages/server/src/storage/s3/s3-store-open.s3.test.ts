/**
 * Opening an object from the last listing (no HeadObject per request) stays exact: the store's
 * facts may be one poll old, but an answer is only ever sent from facts the store confirmed for
 * it. Listing facts back a body only through reads that carry `If-Match`; a replaced or deleted
 * object is decided again from fresh facts (a HEAD), never spliced, never answered stale. The
 * poll interval here is an hour, so nothing a test sees comes from a poll.
 */
import { randomUUID } from "node:crypto";
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ObjectStoreConnection } from "../../test-support/object-store/connection.js";
import { injectObjectStore } from "../../test-support/object-store/provided.js";
import { createBucket, s3ClientFor } from "../../test-support/object-store/s3-client.js";
import { rawRequest } from "../../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../../test-support/server.js";
import { s3StoreConfig } from "../../test-support/store-fixture.js";
import type { VideoStore } from "../store.js";
import { createS3Store } from "./s3-store.js";

const HOUR_MS = 3_600_000; // poll interval: no poll happens during a test
const OLD = "old-bytes-0123456789"; // 20 bytes
const NEW = "NEW-BYTES-9876543210"; // same size, other bytes: only the ETag tells them apart

let connection: ObjectStoreConnection;
let bucket: string;
let producer: S3Client;

const put = (key: string, body: string) =>
  producer.send(new PutObjectCommand({ Bucket: bucket, Key: `videos/${key}`, Body: body }));

beforeAll(async () => {
  connection = injectObjectStore();
  bucket = `reel-${randomUUID()}`;
  await createBucket(connection, bucket);
  producer = s3ClientFor(connection);
});

afterAll(() => {
  producer.destroy();
});

describe("S3 store: open from the listing", () => {
  let store: VideoStore;
  const sent: string[] = [];

  beforeAll(async () => {
    await put("listed.mp4", OLD);
    const client = s3ClientFor(connection);
    // Every command the store sends, by name: the proof that listed facts need no HEAD.
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(context.commandName ?? "?");
        return next(args);
      },
      { step: "initialize" },
    );
    store = createS3Store({
      client,
      bucket,
      prefix: "videos",
      pollMs: HOUR_MS,
      logger: pino({ level: "silent" }),
    });
    await store.list();
  });

  beforeEach(() => {
    sent.length = 0;
  });

  afterAll(() => {
    store.close();
  });

  it("opens a listed object without asking the store, and reads it with one GetObject", async () => {
    const handle = await store.open("listed.mp4");
    expect(handle?.fresh).toBe(false);
    expect(sent).toEqual([]);
    expect((await handle?.read(0, 19))?.toString()).toBe(OLD);
    expect(sent).toEqual(["GetObjectCommand"]);
    handle?.release();
  });

  it("asks the store (HeadObject) when told to, or when the listing does not know the name", async () => {
    const fresh = await store.open("listed.mp4", { fresh: true });
    expect(fresh?.fresh).toBe(true);
    expect(await store.open("unlisted.mp4")).toBeUndefined();
    expect(sent).toEqual(["HeadObjectCommand", "HeadObjectCommand"]);
    fresh?.release();
  });
});

describe("S3 store: answers after a replacement the listing has not seen yet", () => {
  let server: TestServer;
  let oldEtag: string;

  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    rawRequest(server.port, path, { headers, method });

  beforeAll(async () => {
    for (const name of ["whole.mp4", "range.mp4", "ifrange.mp4", "head.mp4", "multi.mp4"]) {
      await put(name, OLD);
    }
    await put("gone.mp4", OLD);
    server = await startTestServer({ store: s3StoreConfig(connection, bucket, HOUR_MS) });
    oldEtag = (await get("/api/video/whole.mp4")).headers.etag ?? "";
    for (const name of ["whole.mp4", "range.mp4", "ifrange.mp4", "head.mp4", "multi.mp4"]) {
      await put(name, NEW);
    }
    await producer.send(new DeleteObjectCommand({ Bucket: bucket, Key: "videos/gone.mp4" }));
  });

  afterAll(async () => {
    await server.close();
  });

  it("sends the new object whole, with its own ETag", async () => {
    const response = await get("/api/video/whole.mp4");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(NEW);
    expect(response.headers.etag).not.toBe(oldEtag);
  });

  it("sends a range of the new object", async () => {
    const response = await get("/api/video/range.mp4", { Range: "bytes=4-8" });
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe("bytes 4-8/20");
    expect(response.body.toString()).toBe(NEW.slice(4, 9));
  });

  it("never splices: If-Range with the old ETag gets the whole new object", async () => {
    const response = await get("/api/video/ifrange.mp4", {
      Range: "bytes=10-",
      "If-Range": oldEtag,
    });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(NEW);
  });

  it("answers HEAD and If-None-Match from the new object's validators", async () => {
    const head = await get("/api/video/head.mp4", {}, "HEAD");
    expect(head.headers.etag).not.toBe(oldEtag);
    const revalidated = await get("/api/video/head.mp4", { "If-None-Match": oldEtag });
    expect(revalidated.status).toBe(200);
    expect(revalidated.body.toString()).toBe(NEW);
  });

  it("builds multipart answers from the new object", async () => {
    const response = await get("/api/video/multi.mp4", { Range: "bytes=0-1,10-11" });
    expect(response.status).toBe(206);
    const body = response.body.toString();
    expect(body).toContain("NE");
    expect(body).toContain("98");
    expect(body).not.toContain("ol");
  });

  it("answers 404 for an object deleted since the listing", async () => {
    const response = await get("/api/video/gone.mp4");
    expect(response.status).toBe(404);
  });
});
