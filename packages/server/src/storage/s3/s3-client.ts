/** The AWS SDK v3 client Reel reads an S3-compatible store with. */
import { Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { S3Client } from "@aws-sdk/client-s3";

/** Where and how to reach the store; credentials come from the SDK's standard chain. */
export interface S3ClientSettings {
  /** `S3_ENDPOINT`, or `undefined` for AWS itself. */
  endpoint: string | undefined;
  region: string;
  /** Explicit keys; `undefined` lets the SDK's standard chain find them. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

const CONNECT_TIMEOUT_MS = 3000; // a store that does not accept within 3 s is down: answer 503
const IDLE_TIMEOUT_MS = 30_000; // a response that sends nothing for 30 s is given up
const MAX_SOCKETS = 256; // concurrent store requests; the SDK's default 50 queues seeks under load

/**
 * An `S3Client` for `settings`: path-style addressing when an endpoint is given (loopback and
 * self-hosted gateways have no per-bucket DNS names), checksums only where an operation requires
 * them (the RADOS Gateway answers the SDK's default trailing checksums with 411), and explicit
 * timeouts so an unreachable store is reported instead of hanging requests. `httpAgent` replaces
 * the plain-HTTP agent (tests pass one to count its sockets).
 */
export function createS3Client(settings: S3ClientSettings, httpAgent?: Agent): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new S3Client({
    endpoint: settings.endpoint,
    forcePathStyle: settings.endpoint !== undefined,
    region: settings.region,
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 2,
    requestHandler: {
      httpAgent: httpAgent ?? new Agent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: IDLE_TIMEOUT_MS,
    },
  });
}
