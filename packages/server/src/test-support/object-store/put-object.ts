/** What a producer does: upload a finished video as one object. */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { ObjectStoreConnection } from "./connection.js";
import { s3ClientFor } from "./s3-client.js";

/**
 * Uploads `body` as `bucket/key` in one PutObject (the gateway accepts up to 5 GiB that way) and
 * returns the object's ETag, quotes included. Readers see the object only once it is complete: S3
 * has no partial objects, so a producer needs no temporary name. Throws the SDK's error (no such
 * bucket, store unreachable).
 */
export async function putObject(
  connection: ObjectStoreConnection,
  bucket: string,
  key: string,
  body: Uint8Array | string,
): Promise<string> {
  const client = s3ClientFor(connection);
  try {
    const answer = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
    );
    return answer.ETag ?? "";
  } finally {
    client.destroy();
  }
}
