/**
 * Aborted downloads give everything back on an object store: the SDK keeps a socket leased until
 * a GetObject body is read to its end or destroyed, so a body left behind by a client that went
 * away would leak one of the agent's sockets for good (and with the SDK's default 50 sockets a
 * leak shows up as a hang). 300 downloads aborted after their first chunk, then 100 ranged GETs
 * that must all succeed, and the agent's leased sockets and the process's descriptors back at
 * their baseline.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { Agent, request } from "node:http";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { injectObjectStore } from "../../test-support/object-store/provided.js";
import {
  createBucket,
  DEFAULT_MAX_SOCKETS,
  s3ClientFor,
} from "../../test-support/object-store/s3-client.js";
import { type RawResponse, rawRequest } from "../../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../../test-support/server.js";
import { s3StoreConfig } from "../../test-support/store-fixture.js";

const BIG = randomBytes(8 * 1024 * 1024); // bytes: far more than one chunk, so aborts cut reads
const DEADLINE_MS = 20_000; // failure guard only

/** Sockets of `agent`'s pools: leased to a request (`sockets`) or idle keep-alive (`freeSockets`). */
function countSockets(pools: NodeJS.ReadOnlyDict<unknown[]>): number {
  return Object.values(pools).reduce((total, list) => total + (list?.length ?? 0), 0);
}

function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

describe("aborted downloads on an object store", () => {
  // The SDK's default pool size: a leaked socket per abort would exhaust it six times over.
  const agent = new Agent({ keepAlive: true, maxSockets: DEFAULT_MAX_SOCKETS });
  let server: TestServer;

  beforeAll(async () => {
    const connection = injectObjectStore();
    const bucket = `reel-${randomUUID()}`;
    await createBucket(connection, bucket);
    const producer = s3ClientFor(connection);
    await producer.send(new PutObjectCommand({ Bucket: bucket, Key: "videos/big.mp4", Body: BIG }));
    producer.destroy();
    server = await startTestServer({
      store: s3StoreConfig(connection, bucket, 3_600_000),
      s3HttpAgent: agent,
    });
    // Warm up: the first requests open the agent's keep-alive sockets and load code lazily.
    await rawRequest(server.port, "/api/video/big.mp4", { headers: { Range: "bytes=0-99" } });
  });

  afterAll(async () => {
    await server.close();
    agent.destroy();
  });

  it("300 aborts, then 100 ranged GETs all byte-exact; leased sockets and descriptors back at baseline", async () => {
    // Idle keep-alive sockets are the agent's to keep: compare descriptors net of them.
    const baseline = openDescriptors() - countSockets(agent.freeSockets);
    expect(countSockets(agent.sockets)).toBe(0);

    await Promise.all(Array.from({ length: 300 }, () => abortAfterFirstChunk(server.port)));

    const gets: Array<Promise<RawResponse>> = [];
    for (let index = 0; index < 100; index++) {
      const start = index * 40_009;
      gets.push(
        rawRequest(server.port, "/api/video/big.mp4", {
          headers: { Range: `bytes=${start}-${start + 70_000}` },
        }),
      );
    }
    const answers = await Promise.all(gets);
    answers.forEach((answer, index) => {
      const start = index * 40_009;
      expect(answer.status).toBe(206);
      expect(answer.body.equals(BIG.subarray(start, start + 70_001))).toBe(true);
    });

    await expect
      .poll(
        () => ({
          leasedSockets: countSockets(agent.sockets),
          storeReads: server.store.openCount(),
          descriptorsAtBaseline: openDescriptors() - countSockets(agent.freeSockets) <= baseline,
        }),
        { timeout: DEADLINE_MS, interval: 50 },
      )
      .toEqual({ leasedSockets: 0, storeReads: 0, descriptorsAtBaseline: true });
  });
});

/** Starts a whole download of big.mp4 and drops the connection after its first chunk. */
function abortAfterFirstChunk(port: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/api/video/big.mp4", agent: false },
      (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      },
    );
    req.on("error", () => resolve());
    req.end();
  });
}
