/**
 * The deadlines and the connection cap of transport/limits.ts, one at a time, over real sockets
 * against the server `createReelServer` builds for main.ts, with limits short enough to watch.
 * Each bound is asserted from both sides: never before the limit, and soon after it.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import {
  closedWithin,
  openConnection,
  openIdleConnection,
  openSlowConnection,
  type TrackedConnection,
} from "../test-support/raw-connections.js";
import { rawRequest } from "../test-support/raw-request.js";
import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from "../test-support/server.js";
import { type EventStreamReader, openEventStream } from "../test-support/sse-client.js";
import { checkingIntervalFor } from "./limits.js";

// Grace after a deadline for a loaded machine (2 cores, other suites running) to act on it.
const SLACK_MS = 1500;

const servers: TestServer[] = [];

async function start(overrides: TestServerOptions & { https?: false }): Promise<TestServer> {
  const server = await startTestServer(overrides);
  servers.push(server);
  return server;
}

/** Waits for the server to close `connection`; it must have lived `earliestMs` to `latestMs`. */
async function expectClosedBetween(
  connection: TrackedConnection,
  earliestMs: number,
  latestMs: number,
): Promise<void> {
  const lived = (await closedWithin(connection, latestMs)) - connection.startedAt;
  expect(lived).toBeGreaterThanOrEqual(earliestMs);
  expect(lived).toBeLessThan(latestMs);
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("HEADERS_TIMEOUT_MS", () => {
  const limits = { headersTimeoutMs: 1000, requestTimeoutMs: 5000 };

  it("answers 408 and closes a connection whose headers trickle in, once the deadline passes", async () => {
    const server = await start(limits);
    const slow = await openSlowConnection(server.port);
    const ticker = setInterval(() => slow.trickle(), 100);
    try {
      const latest = limits.headersTimeoutMs + checkingIntervalFor(server.config) + SLACK_MS;
      await expectClosedBetween(slow, limits.headersTimeoutMs, latest);
      expect(slow.received().toString("latin1")).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      clearInterval(ticker);
    }
  });

  it("closes a connection that never sends a byte the same way", async () => {
    const server = await start(limits);
    const silent = await openConnection(server.port);
    const latest = limits.headersTimeoutMs + checkingIntervalFor(server.config) + SLACK_MS;
    await expectClosedBetween(silent, limits.headersTimeoutMs, latest);
  });
});

describe("REQUEST_TIMEOUT_MS", () => {
  const limits = { headersTimeoutMs: 500, requestTimeoutMs: 1000 };

  it("closes a request whose body trickles in, once the deadline passes", async () => {
    const server = await start(limits);
    const slow = await openConnection(server.port);
    const ticker = setInterval(() => slow.socket.write("x"), 100);
    slow.socket.write(
      "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n",
    );
    try {
      const latest = limits.requestTimeoutMs + checkingIntervalFor(server.config) + SLACK_MS;
      await expectClosedBetween(slow, limits.requestTimeoutMs, latest);
    } finally {
      clearInterval(ticker);
    }
  });

  it("never cuts an event stream held open past it", async () => {
    const server = await start({ ...limits, stableMs: 50 });
    const stream: EventStreamReader = await openEventStream(`${server.baseUrl}/api/videos/events`);
    try {
      await stream.waitFor((frame) => frame.retry !== undefined);
      // Three deadlines, a dozen sweeps of Node's checker: a stream it counted would be gone.
      await sleep(3 * limits.requestTimeoutMs);
      expect(await server.eventStreams()).toBe(1);
      writeFileSync(join(server.videoDir, "late.mp4"), "late");
      const added = await stream.waitFor((frame) => frame.event === "added");
      expect(added.data).toContain('"filename":"late.mp4"');
    } finally {
      stream.close();
    }
  });

  it("never cuts a download that outlasts it; the body arrives byte-exact", async () => {
    const server = await start(limits);
    const content = randomBytes(32 * 1024 * 1024);
    writeFileSync(join(server.videoDir, "long.mp4"), content);
    const { body, receivedWhenResumed } = await new Promise<{
      body: Buffer;
      receivedWhenResumed: number;
    }>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: server.port, path: "/api/video/long.mp4", agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          let received = 0;
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            received += chunk.length;
          });
          res.pause(); // a player with enough buffered: the response stalls on backpressure
          setTimeout(() => {
            const receivedWhenResumed = received;
            res.resume();
            res.on("end", () => resolve({ body: Buffer.concat(chunks), receivedWhenResumed }));
          }, 3 * limits.requestTimeoutMs);
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(receivedWhenResumed).toBeLessThan(content.length); // still mid-body at the deadline
    expect(body.equals(content)).toBe(true);
  });
});

describe("KEEP_ALIVE_TIMEOUT_MS", () => {
  it("closes an idle keep-alive connection once it passes after the response", async () => {
    const keepAliveTimeoutMs = 500;
    const server = await start({ keepAliveTimeoutMs, videoDir: SAMPLES_DIR });
    const idle = await openIdleConnection(server.port, "/api/health");
    await expectClosedBetween(idle, keepAliveTimeoutMs, keepAliveTimeoutMs + SLACK_MS);
    expect(idle.received().toString("latin1")).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});

describe("MAX_CONNECTIONS", () => {
  it("closes a connection past the cap before reading it, and serves again once one leaves", async () => {
    const maxConnections = 3;
    // One process: the cap is per serving process (each cluster worker has its own).
    const server = await start({ maxConnections, videoDir: SAMPLES_DIR, workers: 1 });
    const held: TrackedConnection[] = [];
    for (let index = 0; index < maxConnections; index++) {
      held.push(await openIdleConnection(server.port, "/api/health"));
    }
    const extra = await openConnection(server.port);
    extra.socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await closedWithin(extra, SLACK_MS);
    expect(extra.received().length).toBe(0);

    held[0]?.socket.destroy();
    await expect
      .poll(
        () =>
          new Promise<number>((resolve) =>
            server.server.getConnections((_, count) => resolve(count)),
          ),
        { timeout: 5000 },
      )
      .toBeLessThan(maxConnections);
    const answer = await rawRequest(server.port, "/api/health");
    expect(answer.status).toBe(200);
    for (const connection of held) {
      connection.socket.destroy();
    }
  });
});
