/**
 * Limits of the live library, measured on a real server process (tsx src/main.ts) so its RSS is
 * its own: 500 open event streams while ranged requests still answer and RSS stays under 150 MB,
 * and 1,000 connect/disconnect cycles that leave no connection behind and do not grow memory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { makeTempDir, startTestServer } from "../test-support/server.js";
import { type EventStreamReader, openEventStream } from "../test-support/sse-client.js";

const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const STREAMS = 500;
const RSS_LIMIT_MB = 150;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kilobytes / 1024) * 10) / 10;
}

/** RSS after a full garbage collection in the child (SIGUSR2, see gc-on-signal.ts). */
async function settledRss(child: ChildProcess): Promise<number> {
  const collected = once(child, "message");
  child.kill("SIGUSR2");
  await collected;
  return rssMegabytes(child.pid ?? 0);
}

/**
 * Resolves once `url` answers 200; rejects if `child` exits first. Polled until the hook's own
 * timeout: how long tsx takes to start the server depends on how busy the machine is.
 */
async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  const answers = () =>
    fetch(url).then(
      (response) => response.ok,
      () => false,
    );
  while (!(await answers())) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering`);
    }
    await sleep(100);
  }
}

/** One ranged GET; resolves with its status, body length and time taken. */
function rangedGet(url: string): Promise<{ status: number; bytes: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Range: "bytes=100-1123" }, agent: false }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the event stream under load (server in a child process)", () => {
  let child: ChildProcess;
  let baseUrl: string;
  let videoDir: string;

  beforeAll(async () => {
    videoDir = makeTempDir("reel-load-");
    copyFileSync(join(SAMPLES_DIR, "sample_final.mp4"), join(videoDir, "sample_final.mp4"));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // `node --import tsx` keeps it one process, so /proc/<pid> is the server itself; the gc
    // preload lets the test collect garbage before reading RSS (see `settledRss`).
    const preload = "./src/test-support/gc-on-signal.ts";
    child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "--import", preload, "src/main.ts"],
      {
        cwd: PACKAGE_DIR,
        // No ffmpeg rendering posters beside the measured streams (nor writing to ~/.cache).
        env: {
          ...process.env,
          PORT: String(port),
          VIDEO_DIR: videoDir,
          LOG_LEVEL: "warn",
          EXTRAS: "off",
          // One process: the figures are of the process that holds the connections.
          WORKERS: "1",
        },
        // The IPC channel carries gc-on-signal.ts's "collected".
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      },
    );
    await waitUntilUp(`${baseUrl}/api/health`, child);
  }, 30_000);

  afterAll(() => {
    child?.kill("SIGTERM");
    rmSync(videoDir, { recursive: true, force: true });
  });

  it(`holds ${STREAMS} open streams, still answers ranged requests, stays under ${RSS_LIMIT_MB} MB`, async () => {
    const pid = child.pid ?? 0;
    const idleRss = rssMegabytes(pid);
    const streams: EventStreamReader[] = [];
    for (let index = 0; index < STREAMS; index += 50) {
      streams.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, () => openEventStream(`${baseUrl}/api/videos/events`)),
        )),
      );
    }
    expect(streams.every((stream) => stream.status === 200)).toBe(true);

    const ranged = [];
    for (let index = 0; index < 20; index++) {
      ranged.push(await rangedGet(`${baseUrl}/api/video/sample_final.mp4`));
    }
    expect(ranged.every((answer) => answer.status === 206 && answer.bytes === 1024)).toBe(true);

    // A new file reaches all of them.
    const addedAt = Date.now();
    copyFileSync(join(SAMPLES_DIR, "café clip.mp4"), join(videoDir, "fresh.mp4"));
    const arrivals = await Promise.all(
      streams.map((stream) => stream.waitFor((frame) => frame.event === "added", 5000)),
    );
    const lastArrival = Math.max(...arrivals.map((frame) => frame.receivedAt)) - addedAt;
    const loadedRss = rssMegabytes(pid);

    const rangedMs = ranged.map((answer) => answer.ms).sort((a, b) => a - b);
    console.info(
      `${STREAMS} streams: server RSS idle ${idleRss} MB, with streams ${loadedRss} MB; ` +
        `ranged 1 KiB GET median ${rangedMs[10]?.toFixed(1)} ms, max ${rangedMs[19]?.toFixed(1)} ms; ` +
        `copy -> added on all ${STREAMS}: ${lastArrival} ms`,
    );
    expect(loadedRss).toBeLessThan(RSS_LIMIT_MB);
    for (const stream of streams) {
      stream.close();
    }
  }, 60_000);

  it("does not keep growing over 2 × 1,000 connect/disconnect cycles", async () => {
    const cycle = async () => {
      const stream = await openEventStream(`${baseUrl}/api/videos/events`);
      await stream.waitFor((frame) => frame.retry !== undefined);
      stream.close();
    };
    const cycles = async (count: number) => {
      for (let index = 0; index < count; index += 10) {
        await Promise.all(Array.from({ length: 10 }, cycle));
      }
    };
    // V8 grows its heap before it collects, so RSS is read after a forced full collection, and
    // compared between two rounds: a leak climbs in both, a clean server plateaus.
    const start = await settledRss(child);
    await cycles(1000);
    const afterFirst = await settledRss(child);
    await cycles(1000);
    const afterSecond = await settledRss(child);
    console.info(
      `SSE connect/disconnect: server RSS ${start} MB, after 1,000 cycles ${afterFirst} MB, after 2,000 ${afterSecond} MB`,
    );
    expect(afterSecond - afterFirst).toBeLessThan(5);
    const health = await fetch(`${baseUrl}/api/health`);
    expect(health.status).toBe(200);
  }, 120_000);
});

describe("closed event streams", () => {
  it("leave no connection in the hub after 1,000 cycles", async () => {
    const server = await startTestServer({ videoDir: SAMPLES_DIR });
    try {
      for (let index = 0; index < 1000; index += 20) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, () => openEventStream(`${server.baseUrl}/api/videos/events`)),
        );
        await Promise.all(
          batch.map((stream) => stream.waitFor((frame) => frame.retry !== undefined)),
        );
        expect(await server.eventStreams()).toBeGreaterThanOrEqual(20);
        for (const stream of batch) {
          stream.close();
        }
      }
      await expect.poll(() => server.eventStreams(), { timeout: 5000 }).toBe(0);
    } finally {
      await server.close();
    }
  }, 120_000);
});
