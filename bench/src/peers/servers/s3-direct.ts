/**
 * Peer: the object store's own limit as seen from Node. A bare `node:http` server that answers
 * `GET /api/video/<name>` with one GetObject of `<S3_PREFIX>/<name>` through the AWS SDK, the
 * request's `Range` header passed on as it came, and pipes the body to the client. Nothing
 * else: no HeadObject, no If-Match, no validation, no conditional requests. Its S3 client has
 * Reel's settings (keep-alive agent with 256 sockets, path-style, checksums only when required),
 * so the difference to Reel is Reel's own work. Run as its own process; PORT, S3_ENDPOINT,
 * AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, S3_BUCKET and S3_PREFIX from the
 * environment.
 */
import { Agent, createServer } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";

const PREFIX = "/api/video/";
const bucket = process.env.S3_BUCKET ?? "";
const keyPrefix = process.env.S3_PREFIX ? `${process.env.S3_PREFIX}/` : "";
const client = new S3Client({
  endpoint: process.env.S3_ENDPOINT,
  forcePathStyle: true,
  region: process.env.AWS_REGION ?? "us-east-1",
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "",
  },
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
  requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) },
});

createServer((req, res) => {
  const url = req.url ?? "";
  if (!url.startsWith(PREFIX)) {
    res.writeHead(404).end();
    return;
  }
  const key = keyPrefix + decodeURIComponent(url.slice(PREFIX.length));
  client
    .send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: req.headers.range }))
    .then((answer) => {
      const body = answer.Body as Readable; // the SDK's Node runtime answers with a Readable
      res.writeHead(answer.$metadata.httpStatusCode ?? 200, {
        "Content-Type": answer.ContentType ?? "video/mp4",
        "Accept-Ranges": "bytes",
        ...(answer.ContentLength === undefined ? {} : { "Content-Length": answer.ContentLength }),
        ...(answer.ContentRange === undefined ? {} : { "Content-Range": answer.ContentRange }),
      });
      // pipeline keeps backpressure and destroys the body (freeing its socket) if the client
      // goes away; the error it reports then is the client's, nothing to answer.
      pipeline(body, res, () => {});
    })
    .catch((error: unknown) => {
      res.writeHead(statusOf(error) ?? 502).end();
    });
}).listen(Number(process.env.PORT), "127.0.0.1");

/** The store's HTTP status of an SDK error (`$metadata.httpStatusCode`), if it has one. */
function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "$metadata" in error) {
    const metadata: unknown = error.$metadata;
    if (typeof metadata === "object" && metadata !== null && "httpStatusCode" in metadata) {
      return typeof metadata.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
    }
  }
  return undefined;
}
