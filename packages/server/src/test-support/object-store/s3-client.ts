/** An AWS SDK v3 S3 client set up for the RADOS Gateway, and the bucket helper tests need. */
import { Agent } from "node:http";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { ObjectStoreConnection } from "./connection.js";

/** The SDK's own default for `maxSockets` (NodeHttpHandler), spelled out so tests can rely on it. */
export const DEFAULT_MAX_SOCKETS = 50;

/** Options of `s3ClientFor`. */
export interface S3ClientOptions {
  /** Sockets the client may hold open at once (default 50, as the SDK). Ignored with `httpAgent`. */
  maxSockets?: number;
  /** Use this agent (to inspect its sockets, say) instead of a new keep-alive agent. */
  httpAgent?: Agent;
}

/**
 * Builds an `S3Client` for `connection`: path-style addressing (`/bucket/key`, no bucket DNS
 * names on loopback) and checksums only when an operation requires them (with the SDK's
 * default "when supported", a streamed upload is sent chunked with a trailing checksum, which the
 * gateway answers with 411). Call `destroy()` when done.
 */
export function s3ClientFor(
  connection: ObjectStoreConnection,
  options: S3ClientOptions = {},
): S3Client {
  const httpAgent =
    options.httpAgent ??
    new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS });
  return new S3Client({
    endpoint: connection.endpoint,
    region: connection.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: connection.accessKeyId,
      secretAccessKey: connection.secretAccessKey,
    },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { httpAgent },
  });
}

/**
 * Creates bucket `name` (3–63 characters of lower-case letters, digits, `-`, `.`). Throws the
 * SDK's error when it exists already (`BucketAlreadyOwnedByYou` / `BucketAlreadyExists`) or the
 * name is invalid. Give each test file its own bucket: one gateway serves the whole run.
 */
export async function createBucket(connection: ObjectStoreConnection, name: string): Promise<void> {
  const client = s3ClientFor(connection);
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
}
