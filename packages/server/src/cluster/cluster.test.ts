/**
 * `WORKERS` > 1: one primary that owns the library, and worker processes sharing the port. The
 * test process is the primary (`startTestServer({ workers: 2 })`), as production's is; the last
 * two tests run the real entry point (`src/main.ts`) in a child process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { rawRequest } from "../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../test-support/server.js";
import { type EventStreamReader, openEventStream } from "../test-support/sse-client.js";
import type { WorkerStats } from "./messages.js";

const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const WORKERS = 2;

let server: TestServer;
const streams: EventStreamReader[] = [];

/** Writes `name` the way a producer should: a temporary name, then a rename. */
function produce(name: string, bytes: Buffer): void {
  writeFileSync(join(server.videoDir, `${name}.part`), bytes);
  renameSync(join(server.videoDir, `${name}.part`), join(server.videoDir, name));
}

async function statsByPid(): Promise<Map<number, WorkerStats>> {
  const stats = await server.cluster?.stats();
  return new Map((stats ?? []).map((worker) => [worker.pid, worker]));
}

/**
 * Opens event streams until every worker holds one (the primary hands connections out in turn,
 * so two nearly always do), each with `lastEventId`.
 */
async function streamsOnEveryWorker(lastEventId?: string): Promise<EventStreamReader[]> {
  const opened: EventStreamReader[] = [];
  const before = await statsByPid();
  for (let attempt = 0; attempt < 10; attempt++) {
    const stream = await openEventStream(`${server.baseUrl}/api/videos/events`, { lastEventId });
    streams.push(stream);
    opened.push(stream);
    await stream.waitFor((frame) => frame.retry !== undefined);
    const now = await statsByPid();
    const covered = [...now].every(
      ([pid, worker]) => worker.eventStreams > (before.get(pid)?.eventStreams ?? 0),
    );
    if (covered && now.size === WORKERS) {
      return opened;
    }
  }
  throw new Error("ten event streams did not reach every worker");
}

beforeAll(async () => {
  server = await startTestServer({ workers: WORKERS, stableMs: 50 });
  writeFileSync(
    join(server.videoDir, "first.mp4"),
    readFileSync(join(SAMPLES_DIR, "sample_final.mp4")),
  );
  await server.library.whenIdle();
});

afterEach(() => {
  for (const stream of streams.splice(0)) {
    stream.close();
  }
});

afterAll(async () => {
  await server?.close();
});

describe("a cluster of two workers", () => {
  it("serves the port from both worker processes, not from the primary", async () => {
    const pids = server.servingPids();
    expect(pids).toHaveLength(WORKERS);
    expect(pids).not.toContain(process.pid);
    const before = await statsByPid();
    // A new connection per request (rawRequest closes it): the primary hands them out in turn.
    for (let index = 0; index < 6; index++) {
      expect((await rawRequest(server.port, "/api/health")).status).toBe(200);
    }
    const after = await statsByPid();
    for (const pid of pids) {
      const accepted = after.get(pid)?.accepted["http/1.1"] ?? 0;
      expect(accepted - (before.get(pid)?.accepted["http/1.1"] ?? 0)).toBeGreaterThan(0);
    }
  });

  it("lists and watches the store in the primary alone", async () => {
    for (const worker of (await statsByPid()).values()) {
      expect(worker.listings).toBe(0);
    }
    const listing = await rawRequest(server.port, "/api/videos");
    expect(JSON.parse(listing.body.toString())).toMatchObject({ total: 1 });
    expect(server.library.count).toBe(1); // the primary's catalogue, the one that was scanned
  });

  it("sends one event, with one id, to streams held by each worker", async () => {
    const opened = await streamsOnEveryWorker();
    produce("second.mp4", readFileSync(join(SAMPLES_DIR, "sample_final.mp4")));
    const frames = await Promise.all(
      opened.map((stream) => stream.waitFor((frame) => frame.event === "added")),
    );
    expect(new Set(frames.map((frame) => frame.id)).size).toBe(1);
    expect(frames[0]?.id).toBe(server.hub.currentId);
    expect(JSON.parse(frames[0]?.data ?? "{}")).toMatchObject({ filename: "second.mp4" });
    // Whichever worker answers, the listing has it once the event is out.
    for (let index = 0; index < WORKERS; index++) {
      expect((await rawRequest(server.port, "/api/videos/second.mp4")).status).toBe(200);
    }
  });

  it("replays what a stream missed on another worker (Last-Event-ID)", async () => {
    const seen = server.hub.currentId;
    const [watcher] = await streamsOnEveryWorker();
    produce("third.mp4", readFileSync(join(SAMPLES_DIR, "sample_final.mp4")));
    rmSync(join(server.videoDir, "first.mp4"));
    await watcher?.waitFor((frame) => frame.event === "removed");
    await watcher?.waitFor((frame) => frame.event === "added");
    const missed = watcher?.events().map((frame) => [frame.id, frame.event, frame.data]);
    expect(missed).toHaveLength(2); // in whichever order the two changes settled
    for (const stream of streams.splice(0)) {
      stream.close();
    }
    const resumed = await streamsOnEveryWorker(seen);
    for (const stream of resumed) {
      expect(stream.events().map((frame) => [frame.id, frame.event, frame.data])).toEqual(missed);
    }
  });

  it("replaces a worker that dies, and the new one serves the current catalogue", async () => {
    const [victim] = server.servingPids();
    expect(victim).toBeDefined();
    process.kill(victim ?? 0, "SIGKILL");
    await expect.poll(() => server.servingPids(), { timeout: 10_000 }).not.toContain(victim);
    await server.cluster?.whenListening();
    const pids = server.servingPids();
    expect(pids).toHaveLength(WORKERS);
    for (let index = 0; index < 2 * WORKERS; index++) {
      const listing = await rawRequest(server.port, "/api/videos?sort=name&order=asc");
      expect(listing.status).toBe(200);
      const names = JSON.parse(listing.body.toString()).items.map(
        (item: { filename: string }) => item.filename,
      );
      expect(names).toEqual(["second.mp4", "third.mp4"]);
    }
  });
});

describe("the entry point", () => {
  const children: ChildProcess[] = [];

  afterAll(() => {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill("SIGKILL");
      }
    }
  });

  /** Starts `src/main.ts` and resolves with its "reel listening" line and its exit. */
  async function startMain(workers: string) {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: PACKAGE_DIR,
      env: {
        PATH: process.env.PATH,
        PORT: "0",
        VIDEO_DIR: SAMPLES_DIR,
        EXTRAS: "off",
        LOG_LEVEL: "info",
        WORKERS: workers,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
      let seen = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        const line = seen.split("\n").find((candidate) => candidate.includes("reel listening"));
        if (line !== undefined) {
          resolve(JSON.parse(line));
        }
      });
      child.on("exit", () => reject(new Error(`exited before listening: ${seen}`)));
    });
    return { child, listening, exited };
  }

  function isRunning(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** The pids of `pid`'s child processes (Linux). */
  function childrenOf(pid: number): number[] {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text === "" ? [] : text.split(" ").map(Number);
  }

  it("with WORKERS=2 logs one listening line naming both workers, and exits 0 on SIGTERM leaving none", async () => {
    const { child, listening, exited } = await startMain("2");
    expect(listening).toMatchObject({ workers: 2 });
    const pids = listening.pids;
    expect(Array.isArray(pids) && pids.length === 2).toBe(true);
    const workerPids = Array.isArray(pids) ? pids.map(Number) : [];
    expect(childrenOf(child.pid ?? 0).sort()).toEqual([...workerPids].sort());
    const url = String(listening.url);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workerPids) {
      expect(isRunning(pid)).toBe(false);
    }
  });

  it("with WORKERS=1 runs one process and no cluster", async () => {
    const { child, listening, exited } = await startMain("1");
    expect(listening.workers).toBeUndefined();
    expect(childrenOf(child.pid ?? 0)).toEqual([]);
    expect((await fetch(`${String(listening.url)}/api/health`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("with WORKERS=2 on a port in use says so in one line (no stack trace) and exits 1", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as AddressInfo; // a TCP listener's address is an object
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: PACKAGE_DIR,
        env: {
          PATH: process.env.PATH,
          PORT: String(port),
          VIDEO_DIR: SAMPLES_DIR,
          EXTRAS: "off",
          LOG_LEVEL: "silent",
          WORKERS: "2",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).toBe(1);
      expect(stderr.trim().split("\n")).toEqual([
        expect.stringMatching(
          new RegExp(`^reel: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
        ),
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
