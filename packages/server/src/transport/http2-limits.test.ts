/**
 * The connection limits on the HTTPS server, where they apply (README "Connection limits"):
 * the cap and the TLS handshake deadline for every connection, Node's HTTP/1.1 deadlines for the
 * HTTP/1.1 fallback, and the session deadlines and stream cap of transport/http2-sessions.ts for
 * HTTP/2. Over real sockets, with limits short enough to watch.
 */
import { writeFileSync } from "node:fs";
import { type ClientHttp2Session, connect as connectH2 } from "node:http2";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { connect as connectTls, type TLSSocket } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { connectHttp2, http2Request } from "../test-support/h2-client.js";
import { closedWithin, openConnection } from "../test-support/raw-connections.js";
import {
  type HttpsTestServer,
  startTestServer,
  type TestServerOptions,
} from "../test-support/server.js";
import { checkingIntervalFor } from "./limits.js";

const SLACK_MS = 1500; // after a deadline, for a loaded 2-core machine to act on it

const servers: HttpsTestServer[] = [];

async function start(overrides: TestServerOptions = {}): Promise<HttpsTestServer> {
  const server = await startTestServer({ ...overrides, https: true });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A TLS connection that completed its handshake offering only `http/1.1`. */
function connectHttp1OverTls(server: HttpsTestServer): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({
      host: "127.0.0.1",
      port: server.port,
      ca: server.ca,
      servername: "localhost",
      ALPNProtocols: ["http/1.1"],
    });
    socket.once("secureConnect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves with ms from now until `emitter` emits `event`; rejects after `timeoutMs`. */
function timeUntil(
  emitter: { once(event: string, listener: () => void): unknown },
  event: string,
  timeoutMs: number,
): Promise<number> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no '${event}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve(performance.now() - startedAt);
    });
  });
}

describe("on every connection", () => {
  it("closes a connection that does not finish its TLS handshake within HEADERS_TIMEOUT_MS", async () => {
    const headersTimeoutMs = 1000;
    const server = await start({ headersTimeoutMs, requestTimeoutMs: 5000 });
    const silent = await openConnection(server.port); // TCP only: never sends a ClientHello
    const lived = (await closedWithin(silent, headersTimeoutMs + SLACK_MS)) - silent.startedAt;
    expect(lived).toBeGreaterThanOrEqual(headersTimeoutMs);
  });

  it("closes a connection past MAX_CONNECTIONS at accept, before its handshake", async () => {
    // One process: the cap is per serving process (each cluster worker has its own).
    const server = await start({ maxConnections: 2, workers: 1 });
    const held = [
      await connectHttp2(server.baseUrl, server.ca),
      await connectHttp2(server.baseUrl, server.ca),
    ];
    const extra = await openConnection(server.port);
    await closedWithin(extra, SLACK_MS);
    expect(extra.received().length).toBe(0);
    for (const session of held) {
      session.destroy();
    }
  });
});

describe("HTTP/1.1 over TLS", () => {
  it("answers 408 and closes a request whose headers trickle in past HEADERS_TIMEOUT_MS", async () => {
    const server = await start({ headersTimeoutMs: 1000, requestTimeoutMs: 5000 });
    const socket = await connectHttp1OverTls(server);
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", () => {});
    const ticker = setInterval(() => socket.write("a"), 100);
    socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    try {
      const latest = 1000 + checkingIntervalFor(server.config) + SLACK_MS;
      const lived = await timeUntil(socket, "close", latest);
      expect(lived).toBeGreaterThanOrEqual(1000 - 50); // counted from the handshake's end
      expect(Buffer.concat(received).toString("latin1")).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(ticker);
    }
  });

  it("closes an idle keep-alive connection KEEP_ALIVE_TIMEOUT_MS after its response", async () => {
    // Node leaves this deadline unset on the HTTPS server: without Reel's, it would never close.
    const keepAliveTimeoutMs = 500;
    const server = await start({ keepAliveTimeoutMs, videoDir: SAMPLES_DIR });
    const socket = await connectHttp1OverTls(server);
    socket.on("error", () => {});
    const answered = new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await answered;
    const idle = await timeUntil(socket, "close", keepAliveTimeoutMs + SLACK_MS);
    expect(idle).toBeGreaterThanOrEqual(keepAliveTimeoutMs - 100); // timer starts at the server's end
  });
});

describe("HTTP/2", () => {
  it("sends GOAWAY and closes a connection that opens no stream within HEADERS_TIMEOUT_MS", async () => {
    const headersTimeoutMs = 1000;
    const server = await start({ headersTimeoutMs, requestTimeoutMs: 5000 });
    const session = await connectHttp2(server.baseUrl, server.ca);
    const goaway = timeUntil(session, "goaway", headersTimeoutMs + SLACK_MS);
    const closed = timeUntil(session, "close", headersTimeoutMs + SLACK_MS);
    expect(await goaway).toBeGreaterThanOrEqual(headersTimeoutMs - 100);
    await closed;
  });

  it("closes a connection KEEP_ALIVE_TIMEOUT_MS after its last stream ended", async () => {
    const keepAliveTimeoutMs = 500;
    const server = await start({ keepAliveTimeoutMs, videoDir: SAMPLES_DIR });
    const session = await connectHttp2(server.baseUrl, server.ca);
    expect((await http2Request(session, "/api/health")).status).toBe(200);
    const idle = await timeUntil(session, "close", keepAliveTimeoutMs + SLACK_MS);
    expect(idle).toBeGreaterThanOrEqual(keepAliveTimeoutMs - 100);
  });

  it("keeps a connection whose event stream stays open past KEEP_ALIVE_TIMEOUT_MS", async () => {
    const keepAliveTimeoutMs = 300;
    const server = await start({
      keepAliveTimeoutMs,
      headersTimeoutMs: 300,
      requestTimeoutMs: 300,
      stableMs: 50,
    });
    const session: ClientHttp2Session = await connectHttp2(server.baseUrl, server.ca);
    const stream = session.request({ ":path": "/api/videos/events" });
    let text = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      text += chunk;
    });
    try {
      await sleep(5 * keepAliveTimeoutMs); // every deadline has passed several times over
      expect(session.closed).toBe(false);
      writeFileSync(join(server.videoDir, "late.mp4"), "late");
      await expect.poll(() => text, { timeout: 5000 }).toMatch(/event: added\n/);
    } finally {
      stream.close();
      session.close();
    }
  });

  it("advertises MAX_CONCURRENT_STREAMS in its SETTINGS", async () => {
    const server = await start({ maxConcurrentStreams: 42 });
    const session = connectH2(server.baseUrl, { ca: server.ca });
    try {
      await new Promise<void>((resolve) => session.once("remoteSettings", () => resolve()));
      expect(session.remoteSettings.maxConcurrentStreams).toBe(42);
    } finally {
      session.close();
    }
  });
});
