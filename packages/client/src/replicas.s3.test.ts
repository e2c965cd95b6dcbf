/**
 * The SDK against the deployment "Running many replicas" documents: two real Reel processes on
 * one Ceph RADOS Gateway bucket behind Debian's nginx (`startReplicaSet`, the code behind
 * `node scripts/replicas.mjs`). A replica is SIGKILLed in the middle of what it serves:
 * `downloadToFile` finishes byte-exactly by resuming through the other replica, and `watchVideos`
 * reconnects with `Last-Event-ID` and hears what it missed (the events, or `reset`), never
 * silence. Run with `pnpm test:s3`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { injectObjectStore } from "@reel/server/test-support/object-store/provided";
import { putObject } from "@reel/server/test-support/object-store/put-object";
import { createBucket } from "@reel/server/test-support/object-store/s3-client";
import { waitUntil } from "@reel/server/test-support/object-store/wait-until";
import { finalUpstream, readNginxAccessLog } from "@reel/server/test-support/replicas/access-log";
import {
  type Replica,
  type ReplicaSet,
  startReplicaSet,
} from "@reel/server/test-support/replicas/replica-set";
import { openEventStream } from "@reel/server/test-support/sse-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReelClient, type LibraryEvent, type WatchStatus } from "./index.js";
import { downloadToFile } from "./node.js";

const MiB = 1024 * 1024;
/** Failure guards only: every wait below ends on a real condition, long before these. */
const START_TIMEOUT_MS = 180_000;
const TEST_TIMEOUT_MS = 180_000;
const WAIT_MS = 60_000;

const store = injectObjectStore();
const bucket = `reel-replicas-${randomUUID()}`;
beforeAll(() => createBucket(store, bucket));

/** What every replica of a set runs with: the bucket under `prefix`, polled every 200 ms. */
function replicaEnv(prefix: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    VIDEO_STORE: `s3://${bucket}/${prefix}`,
    S3_ENDPOINT: store.endpoint,
    AWS_REGION: store.region,
    AWS_ACCESS_KEY_ID: store.accessKeyId,
    AWS_SECRET_ACCESS_KEY: store.secretAccessKey,
    S3_POLL_MS: "200",
    LOG_LEVEL: "info",
    EXTRAS: "off", // no ffmpeg reading the 64 MiB object while a replica is being killed
  };
}

/** Starts two replicas and nginx, reporting how long that took. */
async function startTwoReplicas(prefix: string): Promise<ReplicaSet> {
  const startedAt = performance.now();
  const set = await startReplicaSet({ replicas: 2, env: replicaEnv(prefix) });
  console.info(
    `[${prefix}] 2 replicas + nginx answering in ${Math.round(performance.now() - startedAt)} ms`,
  );
  return set;
}

/** Waits for `check` to return a value (polling every 20 ms); the deadline is a failure guard. */
function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  return waitUntil(async () => check(), {
    deadline: Date.now() + WAIT_MS,
    intervalMs: 20,
    what,
  });
}

/** Bytes `pid` has handed to write(2) and friends so far (sockets included), from /proc. */
function bytesWrittenBy(pid: number): number {
  const match = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

/** True once `pid` is no process (or only an unreaped zombie). */
function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

const addressOf = (replica: Replica) => `127.0.0.1:${replica.port}`;

/** Stops the set and proves it left no process and no directory behind. */
async function expectStopsCleanly(set: ReplicaSet): Promise<void> {
  const pids = set.pids();
  expect(pids.length).toBeGreaterThanOrEqual(2); // nginx's master and worker at least
  const stoppedAt = performance.now();
  await set.stop();
  console.info(
    `stopped ${pids.length} processes in ${Math.round(performance.now() - stoppedAt)} ms`,
  );
  expect(pids.filter((pid) => !isGone(pid))).toEqual([]);
  expect(existsSync(set.dir)).toBe(false);
}

describe("downloadToFile through nginx when the replica serving it is killed mid-transfer", () => {
  const SIZE = 64 * MiB;
  const KILL_AFTER = 16 * MiB;
  const object = randomBytes(SIZE);
  let set: ReplicaSet;
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "reel-replicas-download-"));
    await putObject(store, bucket, "download/big.mp4", object);
    set = await startTwoReplicas("download");
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await set?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it(
    "completes byte-exactly in one call, resuming the .part through the other replica by itself",
    async () => {
      const client = createReelClient({ baseUrl: set.url });
      const target = join(outDir, "big.mp4");
      const writtenBefore = set.replicas.map((replica) => bytesWrittenBy(replica.pid));
      let killed: { replica: Replica; loaded: number; at: number } | undefined;
      let servingCandidates: number[] = [];
      const startedAt = performance.now();

      const result = await downloadToFile(client, "big.mp4", target, {
        onProgress: ({ loaded }) => {
          if (killed !== undefined || loaded < KILL_AFTER) {
            return;
          }
          // Every byte the client holds went through the replica serving it: that one has
          // written at least as much since the start; the idle one only its small S3 polls.
          servingCandidates = set.replicas
            .filter((replica, i) => bytesWrittenBy(replica.pid) - (writtenBefore[i] ?? 0) >= loaded)
            .map((replica) => replica.index);
          const serving = set.replicas[servingCandidates[0] ?? -1];
          if (servingCandidates.length === 1 && serving !== undefined) {
            serving.kill("SIGKILL");
            killed = { replica: serving, loaded, at: performance.now() };
          }
        },
      });
      const doneAt = performance.now();

      expect(servingCandidates).toHaveLength(1);
      if (killed === undefined) {
        throw new Error("the replica serving the download was never found");
      }
      expect(await killed.replica.exited).toEqual({ code: null, signal: "SIGKILL" });
      // nginx cannot move a response that is under way to another replica: the body was cut off.
      // The call resumed by itself: its second attempt continued the .part with `Range` +
      // `If-Range`, and nginx sent it to the live replica.
      expect(result.attempts).toBe(2);
      expect(result.size).toBe(SIZE);
      expect(result.resumedFrom).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(result.resumedFrom).toBeLessThan(SIZE);
      expect(Buffer.compare(readFileSync(target), object)).toBe(0);
      expect(existsSync(`${target}.part`)).toBe(false);

      const survivor = set.replicas.find((replica) => replica !== killed?.replica);
      const downloads = readNginxAccessLog(set.nginx.accessLogPath).filter((entry) =>
        entry.request.includes("/big.mp4 "),
      );
      expect(downloads.map((entry) => [entry.status, entry.range, finalUpstream(entry)])).toEqual([
        [200, "", addressOf(killed.replica)],
        [206, `bytes=${result.resumedFrom}-`, survivor && addressOf(survivor)],
      ]);
      expect(downloads[1]?.bytes).toBe(SIZE - result.resumedFrom);

      console.info(
        `64 MiB download: killed replica ${killed.replica.index} after ${(killed.loaded / MiB).toFixed(1)} MiB ` +
          `received (${Math.round(killed.at - startedAt)} ms in); the call resumed from ` +
          `${(result.resumedFrom / MiB).toFixed(1)} MiB via replica ${survivor?.index}; kill → complete file ` +
          `${Math.round(doneAt - killed.at)} ms; total ${Math.round(doneAt - startedAt)} ms`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it("stops nginx and every replica, leaving no process and no directory", async () => {
    await expectStopsCleanly(set);
  });
});

describe("nginx in front of two replicas when one is dead", () => {
  let set: ReplicaSet;

  beforeAll(async () => {
    set = await startTwoReplicas("failover");
  }, START_TIMEOUT_MS);
  afterAll(() => set?.stop());

  it("sends a request that meets the dead replica on to the other one (proxy_next_upstream)", async () => {
    const [dead, survivor] = set.replicas;
    if (dead === undefined || survivor === undefined) {
      throw new Error("expected two replicas");
    }
    dead.kill("SIGKILL");
    await dead.exited;
    // nginx has not noticed yet, and round-robin alternates: one of two requests picks the dead
    // replica, finds it refusing, and is passed on before the client sees anything.
    const client = createReelClient({ baseUrl: set.url });
    const healths = [await client.getHealth(), await client.getHealth()];
    // The replicas run without media extras (replicaEnv), which their health says.
    const extras = { enabled: false, reason: "turned off (EXTRAS=off)", pending: 0 };
    expect(healths).toEqual([
      { status: "ok", videos: 0, extras },
      { status: "ok", videos: 0, extras },
    ]);
    const tried = readNginxAccessLog(set.nginx.accessLogPath)
      .slice(-2)
      .map((entry) => [entry.upstream, entry.upstreamStatus]);
    expect(tried).toContainEqual([`${addressOf(dead)}, ${addressOf(survivor)}`, "502, 200"]);
  });

  it("answers 503 JSON with Retry-After once no replica is left, not nginx's HTML 502", async () => {
    for (const replica of set.replicas) {
      replica.kill("SIGKILL");
      await replica.exited;
    }
    const response = await fetch(`${set.url}/api/video/any.mp4`);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({
      detail: "No Reel replica is available; retry shortly",
    });
  });

  it("stops nginx and every replica, leaving no process and no directory", async () => {
    await expectStopsCleanly(set);
  });
});

/**
 * The platform fetch for the SDK, with two controls over its event-stream requests: `hold()`
 * keeps reconnections waiting (the client is disconnected meanwhile) until the function it
 * returns is called, and `drop()` cuts the open stream as a network failure would. It records the
 * `Last-Event-ID` each connection attempt carries.
 */
function eventStreamControl() {
  const lastEventIds: (string | null)[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: AbortController | undefined;
  const controlledFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname !== "/api/videos/events") {
      return fetch(request);
    }
    lastEventIds.push(request.headers.get("last-event-id"));
    await gate;
    const connection = new AbortController();
    open = connection;
    return fetch(request, { signal: AbortSignal.any([request.signal, connection.signal]) });
  };
  return {
    fetch: controlledFetch,
    lastEventIds,
    hold(): () => void {
      let release = () => {};
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    },
    drop() {
      open?.abort(new Error("connection dropped by the test"));
    },
  };
}

/** The `<bootId>` part of an event id `<bootId>-<seq>`: the process that issued it. */
const bootOf = (id: string) => id.split("-")[0];

/** A replica's boot id, read from the `id:` its event stream opens with (asked directly). */
async function bootIdOf(replica: Replica): Promise<string> {
  const stream = await openEventStream(`${replica.url}/api/videos/events`);
  try {
    const opening = await stream.waitFor((frame) => frame.id !== undefined, WAIT_MS);
    return bootOf(opening.id ?? "") ?? "";
  } finally {
    stream.close();
  }
}

describe("watchVideos through nginx when the replica holding its stream is killed", () => {
  const video = randomBytes(4096); // not a parseable MP4; still listed and announced (media: null)
  let set: ReplicaSet;

  beforeAll(async () => {
    set = await startTwoReplicas("events");
  }, START_TIMEOUT_MS);
  afterAll(() => set?.stop());

  it(
    "reconnects with Last-Event-ID: the survivor answers reset (list again) and the list has what was missed; a dropped stream to a live replica gets the missed events",
    async () => {
      const bootIds = await Promise.all(set.replicas.map(bootIdOf));
      const control = eventStreamControl();
      const client = createReelClient({ baseUrl: set.url, fetch: control.fetch });
      const events: LibraryEvent[] = [];
      const statuses: WatchStatus[] = [];
      const stopWatching = client.watchVideos((event) => events.push(event), {
        retryDelayMs: 50,
        onStatus: (status) => statuses.push(status),
        onError: () => {
          // Expected: the connection breaks when its replica dies; the SDK reconnects.
        },
      });
      const addedEvent = (filename: string, from = 0) =>
        events.slice(from).find((e) => e.event === "added" && e.data.filename === filename);
      /** Resolves once `replica` (asked directly) lists `filename`: it has announced it. */
      const listedBy = (replica: Replica, filename: string) =>
        until(`replica ${replica.index} to list ${filename}`, async () => {
          const response = await fetch(`${replica.url}/api/videos/${filename}`);
          await response.body?.cancel();
          return response.status === 200 ? true : undefined;
        });

      try {
        await until("the stream to open", () => statuses.includes("open") || undefined);

        // Which replica holds the stream? The boot id of the first event it relays says.
        await putObject(store, bucket, "events/first.mp4", video);
        const first = await until("added first.mp4", () => addedEvent("first.mp4"));
        const holder = set.replicas[bootIds.indexOf(bootOf(first.id) ?? "")];
        const survivor = set.replicas.find((replica) => replica !== holder);
        if (holder === undefined || survivor === undefined) {
          throw new Error(`event ${first.id} is from no replica of ${bootIds.join(", ")}`);
        }

        // Its replica dies. While the client is away, a producer uploads second.mp4 and the
        // survivor announces it: an event this client never received.
        const releaseAfterKill = control.hold();
        const killedAt = performance.now();
        holder.kill("SIGKILL");
        await holder.exited;
        await until("a reconnection", () => control.lastEventIds.length >= 2 || undefined);
        const noticedAt = performance.now();
        expect(control.lastEventIds[1]).toBe(first.id);
        await putObject(store, bucket, "events/second.mp4", video);
        await listedBy(survivor, "second.mp4");
        const beforeReconnect = events.length;
        const releasedAt = performance.now();
        releaseAfterKill();

        // The survivor cannot know the dead replica's id: `reset`, never silence.
        const reset = await until("reset", () => events[beforeReconnect]);
        const resetAt = performance.now();
        expect(reset.event).toBe("reset");
        expect(bootOf(reset.id)).toBe(bootIds[survivor.index]);
        const listed = (await client.listVideos()).items.map((item) => item.filename);
        expect(listed.sort()).toEqual(["first.mp4", "second.mp4"]);

        // The stream drops while its replica lives (a network failure). The client comes back to
        // the same replica through nginx, which replays what it missed instead of a reset.
        const releaseAfterDrop = control.hold();
        control.drop();
        await until("a second reconnection", () => control.lastEventIds.length >= 3 || undefined);
        expect(bootOf(control.lastEventIds[2] ?? "")).toBe(bootIds[survivor.index]);
        await putObject(store, bucket, "events/third.mp4", video);
        await listedBy(survivor, "third.mp4");
        const beforeResume = events.length;
        releaseAfterDrop();
        const replayed = await until("added third.mp4", () =>
          addedEvent("third.mp4", beforeResume),
        );
        expect(bootOf(replayed.id)).toBe(bootIds[survivor.index]);
        expect(events.slice(beforeResume).map((event) => event.event)).toEqual(["added"]);

        console.info(
          `SSE failover: replica ${holder.index} killed → reconnection attempted ` +
            `${Math.round(noticedAt - killedAt)} ms later; reconnection released → reset ` +
            `${Math.round(resetAt - releasedAt)} ms later`,
        );
      } finally {
        stopWatching();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it("stops nginx and every replica, leaving no process and no directory", async () => {
    await expectStopsCleanly(set);
  });
});
