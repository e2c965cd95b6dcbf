/**
 * One running Reel over either store, with the producer's side of it: `put` and `remove` a video
 * the way a pipeline would (a file written to the directory, an object uploaded to the bucket).
 * The store-contract suite runs the same black-box assertions against both.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { StoreConfig } from "../config.js";
import type { ObjectStoreConnection } from "./object-store/connection.js";
import { createBucket, s3ClientFor } from "./object-store/s3-client.js";
import { waitUntil } from "./object-store/wait-until.js";
import { rawRequest } from "./raw-request.js";
import { startTestServer, type TestServer, type TestServerOptions } from "./server.js";

/** Which store a fixture runs on. */
export type StoreKind = "directory" | "s3";

/** A server over one store, and the producer's hands on that store. */
export interface StoreFixture {
  kind: StoreKind;
  server: TestServer;
  /** Stores `bytes` under `key` (a name, or `sub/name` for a nested entry), replacing it. */
  put(key: string, bytes: Uint8Array | string): Promise<void>;
  /** Deletes `key`. */
  remove(key: string): Promise<void>;
  /**
   * Stores `bytes` outside what the server serves: at bucket key `key`, without the prefix (s3);
   * at `key` in the folder holding the given `videoDir` (directory; a fixture's own temp dir sits
   * in the system's temp folder, which is not ours to write to, so it throws there).
   */
  putOutsidePrefix(key: string, bytes: Uint8Array | string): Promise<void>;
  /**
   * Resolves once the library lists the new `name` and has applied every change its store has
   * noticed (a directory after the settle time, a bucket at its next listing). Throws when it is
   * still unlisted after 15 s: a failure guard, not a pace.
   */
  waitListed(name: string): Promise<void>;
  /**
   * Resolves once the server has looked at every change made to the store before the call and
   * applied it to its library (so any event it causes is published): a barrier that lets a test
   * assert that something was *not* announced without sleeping for a guessed while.
   */
  caughtUp(): Promise<void>;
  /**
   * S3 only: starts a multipart upload of `bytes` to `key` (one part, sent) and returns what
   * completes it. Until then the object does not exist for readers (a directory has no analogue:
   * its producers write in place or rename).
   */
  startUpload(key: string, bytes: Uint8Array): Promise<{ complete(): Promise<void> }>;
  close(): Promise<void>;
}

/** Options of `startStoreFixture`. */
export interface StoreFixtureOptions {
  /** The shared gateway; required for `s3`. */
  objectStore?: ObjectStoreConnection;
  /** ms between listings of the bucket (s3) / settle time of a file (directory). */
  changeMs?: number;
  /** Config overrides for the server (e.g. `cacheControl`, `corsOrigins`); the store is set here. */
  server?: Omit<TestServerOptions, "store" | "videoDir" | "https">;
  /**
   * Directory only: serve this existing folder (the caller lays it out, also next to it, and
   * removes it) instead of a new temp dir.
   */
  videoDir?: string;
}

const PREFIX = "videos"; // keys outside it (`other/…`) must never be served
const LISTED_DEADLINE_MS = 15_000; // failure guard of `waitListed`, never a pace
const CAUGHT_UP_DEADLINE_MS = 15_000; // failure guard for one more listing of the bucket

/** Starts Reel over a new temp directory or a new bucket. */
export async function startStoreFixture(
  kind: StoreKind,
  options: StoreFixtureOptions = {},
): Promise<StoreFixture> {
  const changeMs = options.changeMs ?? 50;
  if (kind === "directory") {
    const { videoDir } = options;
    const server = await startTestServer({ stableMs: changeMs, ...options.server, videoDir });
    return {
      kind,
      server,
      async put(key, bytes) {
        const path = join(server.videoDir, key);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, bytes);
      },
      async remove(key) {
        rmSync(join(server.videoDir, key), { force: true });
      },
      async putOutsidePrefix(key, bytes) {
        if (videoDir === undefined) {
          throw new Error("putOutsidePrefix on a directory needs the fixture's videoDir option");
        }
        const path = join(dirname(videoDir), key);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, bytes);
      },
      waitListed: (name) => waitListed(server, name),
      async caughtUp() {
        // The kernel queues inotify events at the write itself; libuv reads them in its next poll
        // phase, and two turns of the loop always contain one. From then on the watcher counts
        // the files as pending until they settled and were applied.
        await nextTurn();
        await nextTurn();
        // The store settled, and (with workers) every worker applied what that changed.
        await server.library.whenIdle();
      },
      startUpload() {
        return Promise.reject(new Error("a directory store has no multipart uploads"));
      },
      close: () => server.close(),
    };
  }
  const connection = options.objectStore;
  if (connection === undefined) {
    throw new Error("an s3 store fixture needs the run's objectStore connection");
  }
  if (options.videoDir !== undefined) {
    throw new Error("videoDir is a directory fixture's option; an s3 fixture serves a new bucket");
  }
  const bucket = `reel-${randomUUID()}`;
  await createBucket(connection, bucket);
  const client: S3Client = s3ClientFor(connection);
  const server = await startTestServer({
    ...options.server,
    store: s3StoreConfig(connection, bucket, changeMs),
  });
  return {
    kind,
    server,
    async put(key, bytes) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}/${key}`, Body: bytes }),
      );
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${PREFIX}/${key}` }));
    },
    async putOutsidePrefix(key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    waitListed: (name) => waitListed(server, name),
    async caughtUp() {
      // `settled()` is the chain of listings ticked so far; a chain ticked after this call
      // starts listing after it, so it sees every object written before.
      const before = server.store.settled();
      await before;
      // Wrapped: an async check returning the promise itself would wait for it and yield void.
      const after = await waitUntil(
        async () => {
          const chain = server.store.settled();
          return chain === before ? undefined : { chain };
        },
        { deadline: Date.now() + CAUGHT_UP_DEADLINE_MS, intervalMs: 10, what: "a new listing" },
      );
      await after.chain;
      await server.library.whenIdle(); // with workers: every worker applied what it changed
    },
    async startUpload(key, bytes) {
      const Key = `${PREFIX}/${key}`;
      const { UploadId } = await client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key }),
      );
      const part = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: bytes }),
      );
      return {
        async complete() {
          await client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key,
              UploadId,
              MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
            }),
          );
        },
      };
    },
    async close() {
      await server.close();
      client.destroy();
    },
  };
}

/** See `StoreFixture.waitListed`. */
async function waitListed(server: TestServer, name: string): Promise<void> {
  await waitUntil(
    async () => {
      const { status } = await rawRequest(server.port, `/api/videos/${encodeURIComponent(name)}`);
      return status === 200 ? status : undefined;
    },
    { deadline: Date.now() + LISTED_DEADLINE_MS, intervalMs: 25, what: `${name} to be listed` },
  );
  await server.library.whenIdle();
}

/** The `StoreConfig` of `s3://bucket/videos` on the gateway `connection`. */
export function s3StoreConfig(
  connection: ObjectStoreConnection,
  bucket: string,
  pollMs: number,
  endpoint = connection.endpoint,
): StoreConfig {
  return {
    kind: "s3",
    bucket,
    prefix: PREFIX,
    endpoint,
    region: connection.region,
    pollMs,
    credentials: {
      accessKeyId: connection.accessKeyId,
      secretAccessKey: connection.secretAccessKey,
    },
  };
}
