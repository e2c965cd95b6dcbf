/**
 * What the S3 backend may rely on, proven against the real RADOS Gateway of this test run (see
 * `global-setup.ts`; run with `pnpm test:s3`). A random 5 MiB object makes offsets checkable.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { Agent } from "node:http";
import { Readable } from "node:stream";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { injectObjectStore } from "./provided.js";
import { createBucket, DEFAULT_MAX_SOCKETS, s3ClientFor } from "./s3-client.js";
import { waitUntil } from "./wait-until.js";

const store = injectObjectStore();
const bucket = `reel-harness-${randomUUID()}`;
const client = s3ClientFor(store);
const SIZE = 5 * 1024 * 1024 + 123; // bytes; odd on purpose, so no range lines up with a chunk
const content = randomBytes(SIZE);
const KEY = "videos/big.mp4";
let uploadStartedAt = 0;

/** `content` as a stream of 64 KiB pieces: the SDK cannot see its length, we pass it. */
function streamOf(bytes: Buffer): Readable {
  return Readable.from(
    (function* pieces() {
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
        yield bytes.subarray(offset, offset + 64 * 1024);
      }
    })(),
  );
}

function md5Etag(bytes: Buffer): string {
  return `"${createHash("md5").update(bytes).digest("hex")}"`;
}

function asReadable(body: unknown): Readable {
  if (!(body instanceof Readable)) {
    throw new Error("GetObject returned no Node stream body");
  }
  return body;
}

/** The HTTP status of the S3 error `request` rejects with (it must reject). */
async function failureStatus(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
  } catch (error) {
    if (error instanceof S3ServiceException) {
      return error.$metadata.httpStatusCode;
    }
    throw error;
  }
  throw new Error("expected the request to fail");
}

async function getRange(range: string) {
  const response = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: KEY, Range: range }),
  );
  const bytes = Buffer.concat(await asReadable(response.Body).toArray());
  return { response, bytes };
}

/** With leaked sockets a request waits for one forever: abort it long before the test timeout. */
function failFast(): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(10_000) };
}

function queuedRequests(agent: Agent): number {
  return Object.values(agent.requests).reduce((sum, queue) => sum + (queue?.length ?? 0), 0);
}

beforeAll(async () => {
  await createBucket(store, bucket);
  uploadStartedAt = Date.now();
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: KEY,
      Body: streamOf(content),
      ContentLength: SIZE,
    }),
  );
});

afterAll(() => {
  client.destroy();
});

describe("the Ceph RADOS Gateway", () => {
  describe("GetObject", () => {
    it("returns a streamed upload byte for byte", async () => {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: KEY }));
      const bytes = Buffer.from((await response.Body?.transformToByteArray()) ?? []);
      expect(response.$metadata.httpStatusCode).toBe(200);
      expect(bytes.length).toBe(SIZE);
      expect(bytes.equals(content)).toBe(true);
      expect(response.ETag).toBe(md5Etag(content));
    });

    it("answers bytes=a-b with exactly bytes a to b", async () => {
      const { response, bytes } = await getRange("bytes=1000003-2345677");
      expect(response.$metadata.httpStatusCode).toBe(206);
      expect(response.ContentRange).toBe(`bytes 1000003-2345677/${SIZE}`);
      expect(response.ContentLength).toBe(2345677 - 1000003 + 1);
      expect(bytes.equals(content.subarray(1000003, 2345678))).toBe(true);
    });

    it("answers the suffix range bytes=-500 with the last 500 bytes", async () => {
      const { response, bytes } = await getRange("bytes=-500");
      expect(response.$metadata.httpStatusCode).toBe(206);
      expect(response.ContentRange).toBe(`bytes ${SIZE - 500}-${SIZE - 1}/${SIZE}`);
      expect(bytes.equals(content.subarray(SIZE - 500))).toBe(true);
    });

    it("clamps an end past the object to its last byte", async () => {
      const { response, bytes } = await getRange(`bytes=${SIZE - 10}-${SIZE + 1000}`);
      expect(response.ContentRange).toBe(`bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`);
      expect(bytes.equals(content.subarray(SIZE - 10))).toBe(true);
    });

    it("answers 416 to a range that starts past the end", async () => {
      expect(await failureStatus(getRange(`bytes=${SIZE}-`))).toBe(416);
    });
  });

  describe("conditional GetObject", () => {
    const key = "videos/replaced.mp4";
    let staleEtag = "";
    let currentEtag = "";

    beforeAll(async () => {
      const first = await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(1000) }),
      );
      const second = await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(1000) }),
      );
      staleEtag = first.ETag ?? "";
      currentEtag = second.ETag ?? "";
      expect(staleEtag).not.toBe(currentEtag);
    });

    it("answers 412 to IfMatch with the ETag of a replaced version", async () => {
      const request = client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: staleEtag }),
      );
      expect(await failureStatus(request)).toBe(412);
    });

    it("serves IfMatch with the current ETag", async () => {
      const response = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          IfMatch: currentEtag,
          Range: "bytes=0-9",
        }),
      );
      expect(response.$metadata.httpStatusCode).toBe(206);
      asReadable(response.Body).destroy();
    });

    it("answers 304 to IfNoneMatch with the current ETag", async () => {
      const request = client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: currentEtag }),
      );
      expect(await failureStatus(request)).toBe(304);
    });
  });

  describe("HeadObject", () => {
    it("reports the size, the MD5 ETag and the upload time", async () => {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: KEY }));
      expect(head.ContentLength).toBe(SIZE);
      expect(head.ETag).toBe(md5Etag(content));
      expect(head.AcceptRanges).toBe("bytes");
      // Last-Modified is an HTTP date: whole seconds.
      const modified = head.LastModified?.getTime() ?? 0;
      expect(modified).toBeGreaterThanOrEqual(Math.floor(uploadStartedAt / 1000) * 1000);
      expect(modified).toBeLessThanOrEqual(Date.now());
    });
  });

  describe("ListObjectsV2", () => {
    const prefix = "library/";
    const keys = ["a.mp4", "b.mp4", "c.mp4", "d.mp4", "e.mp4", "sub/f.mp4", "sub/g.mp4"].map(
      (name) => `${prefix}${name}`,
    );

    beforeAll(async () => {
      for (const key of [...keys, "library-other.mp4", "elsewhere/h.mp4"]) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      }
    });

    it("pages through a prefix MaxKeys at a time, in key order", async () => {
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            MaxKeys: 2,
            ContinuationToken: token,
          }),
        );
        pages.push((page.Contents ?? []).map((object) => object.Key ?? ""));
        expect(page.IsTruncated).toBe(page.NextContinuationToken !== undefined);
        token = page.NextContinuationToken;
      } while (token !== undefined);
      expect(pages).toEqual([keys.slice(0, 2), keys.slice(2, 4), keys.slice(4, 6), keys.slice(6)]);
    });

    it("lists only the direct children with Delimiter '/'", async () => {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: "/" }),
      );
      expect((page.Contents ?? []).map((object) => object.Key)).toEqual(keys.slice(0, 5));
      expect((page.CommonPrefixes ?? []).map((common) => common.Prefix)).toEqual([`${prefix}sub/`]);
      expect(page.Contents?.[0]?.Size).toBe(keys[0]?.length);
    });
  });

  describe("a GetObject body the client abandons", () => {
    it("keeps its socket leased until it is destroyed", async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const oneSocket = s3ClientFor(store, { httpAgent: agent });
      try {
        const first = await oneSocket.send(new GetObjectCommand({ Bucket: bucket, Key: KEY }));
        const second = oneSocket.send(
          new GetObjectCommand({ Bucket: bucket, Key: KEY, Range: "bytes=0-9" }),
        );
        await waitUntil(async () => (queuedRequests(agent) === 1 ? true : undefined), {
          deadline: Date.now() + 10_000,
          intervalMs: 10,
          what: "the second request to queue for the only socket",
        });
        asReadable(first.Body).destroy();
        const response = await second;
        const bytes = Buffer.concat(await asReadable(response.Body).toArray());
        expect(bytes.equals(content.subarray(0, 10))).toBe(true);
      } finally {
        oneSocket.destroy();
        agent.destroy();
      }
    });

    it("frees its socket when destroyed mid-stream: 60 aborted GETs, then one that completes", async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: DEFAULT_MAX_SOCKETS });
      const pooled = s3ClientFor(store, { httpAgent: agent });
      try {
        for (let i = 0; i < 60; i += 1) {
          const response = await pooled.send(
            new GetObjectCommand({ Bucket: bucket, Key: KEY }),
            failFast(),
          );
          const body = asReadable(response.Body);
          // Paused mode: one buffered chunk is taken and nothing else is read, as a client that
          // goes away mid-body. (A "data" listener would drain the rest and release the socket.)
          await once(body, "readable");
          expect(body.read()).not.toBeNull();
          body.destroy();
        }
        const response = await pooled.send(
          new GetObjectCommand({ Bucket: bucket, Key: KEY, Range: "bytes=-100" }),
          failFast(),
        );
        const bytes = Buffer.concat(await asReadable(response.Body).toArray());
        expect(bytes.equals(content.subarray(SIZE - 100))).toBe(true);
        expect(queuedRequests(agent)).toBe(0);
      } finally {
        pooled.destroy();
        agent.destroy();
      }
    });
  });
});
