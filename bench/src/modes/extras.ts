/**
 * The extras rows (issue "posters, seek previews and subtitles": not slowing the server): W3
 * against Reel idle and while its background queue renders 20 new videos, in interleaved rounds.
 * The idle cell runs Reel with `EXTRAS=off`; the rendering cell with `EXTRAS=on` and a new, empty
 * CACHE_DIR, timed only while /api/health says renders are pending.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { childPidsOf } from "../children.js";
import { CpuMeter } from "../cpu.js";
import {
  CONDITIONS,
  type Condition,
  type ExtrasRun,
  type ExtrasSample,
  renderExtras,
  renderExtrasTables,
  summariseExtras,
} from "../extras-report.js";
import {
  createExtrasDir,
  EXTRAS_VIDEO_COUNT,
  EXTRAS_VIDEO_DESCRIPTION,
  ensureExtrasVideos,
} from "../extras-videos.js";
import type { Fixture } from "../fixture.js";
import { measure } from "../measure.js";
import type { Options } from "../options.js";
import { reelPeer } from "../peers/reel.js";
import type { RunningPeer } from "../peers/types.js";
import { isInterrupted, sleep } from "../processes.js";
import { writeSection } from "../results-file.js";
import { collectSystemInfo } from "../system-info.js";
import { type Verification, verifyPeer } from "../verify.js";
import { workloadById } from "../workloads.js";
import { runWrk } from "../wrk.js";

const QUEUE_WAIT_MS = 20_000; // the first scan of 21 files takes well under a second

/** Why the rows cannot run here (no ffmpeg), or undefined when they can. */
export function extrasUnavailable(): string | undefined {
  const missing = ["ffmpeg", "ffprobe"].filter(
    (name) => spawnSync(name, ["-version"], { stdio: "ignore" }).error !== undefined,
  );
  return missing.length === 0
    ? undefined
    : `${missing.join(", ")} not installed (apt-get install -y --no-install-recommends ffmpeg)`;
}

/** Makes the videos, runs the rounds, writes the `extras` section and prints its tables. */
export async function runExtras(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const unavailable = extrasUnavailable();
  if (unavailable !== undefined) {
    throw new Error(`extras: ${unavailable}`);
  }
  const started = new Date();
  const loadAtStart = loadavg();
  const videos = await ensureExtrasVideos(log);
  const dir = createExtrasDir(fixture, videos);
  const samples: ExtrasSample[] = [];
  let verification: Verification | undefined;
  for (let round = 0; round < options.rounds; round++) {
    // Alternate which cell goes first, so a drift of the shared machine hits both alike.
    const order = round % 2 === 0 ? CONDITIONS : [...CONDITIONS].reverse();
    for (const condition of order) {
      log(`extras round ${round + 1}/${options.rounds}: ${condition}`);
      const cell = await runCell(
        condition,
        round,
        dir,
        fixture,
        options,
        verification === undefined,
      );
      verification ??= cell.verification;
      if (cell.verification !== undefined && !cell.verification.isRankable) {
        throw new Error("extras: Reel answered wrong bytes; not timed");
      }
      if (cell.sample !== undefined) {
        samples.push(cell.sample);
        const s = cell.sample;
        log(
          `  W3 ${s.requestsPerSecond.toFixed(0)} req/s p99 ${s.p99Ms.toFixed(1)} ms, ` +
            `peak RSS ${(s.peakRssBytes / 1e6).toFixed(0)} MB, CPU Reel ${(s.cpu.server * 100).toFixed(0)} % ` +
            `ffmpeg ${(s.cpu.ffmpeg * 100).toFixed(0)} %` +
            (s.pendingAtStart === null ? "" : `, pending ${s.pendingAtStart} → ${s.pendingAtEnd}`) +
            (s.errors > 0 ? `, ${s.errors} errors` : ""),
        );
      }
    }
  }
  if (isInterrupted()) {
    return;
  }
  const run: ExtrasRun = {
    command: `pnpm bench${options.mode === "extras" ? " --extras" : ""}${options.isQuick ? " --quick" : ""}`,
    isQuick: options.isQuick,
    rounds: options.rounds,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    serverCpu: options.serverCpu,
    clientCpu: options.clientCpu,
    videoCount: EXTRAS_VIDEO_COUNT,
    videoDescription: EXTRAS_VIDEO_DESCRIPTION,
    ffmpegVersion: ffmpegVersion(),
    loadAtStart,
    peer: reelPeer,
    verification,
    summaries: summariseExtras(samples),
    system: collectSystemInfo(started),
  };
  const files = writeSection("extras", renderExtras(run), options.isQuick, {}, { ...run, samples });
  console.log(
    [
      "",
      `Extras, medians of ${options.rounds} round(s)${options.isQuick ? " (quick: not a measurement)" : ""}:`,
      ...renderExtrasTables(run),
      "",
    ].join("\n"),
  );
  log(`wrote ${files.join(", ")}`);
}

/**
 * The extras rows as part of the full comparison (and of `--quick`): skipped with a note when
 * `--peers` leaves out Reel, `--workloads` leaves out W3, or ffmpeg is not installed.
 */
export async function runExtrasAfterComparison(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const ids = options.peerIds?.split(",").map((id) => id.trim());
  if (ids !== undefined && !ids.includes("reel")) {
    log("extras: skipped (--peers leaves out reel)");
    return;
  }
  if (!options.workloads.some((workload) => workload.id === "W3")) {
    log("extras: skipped (--workloads leaves out W3)");
    return;
  }
  const unavailable = extrasUnavailable();
  if (unavailable !== undefined) {
    log(`extras: skipped, ${unavailable}`);
    return;
  }
  await runExtras(options, fixture, log);
}

interface Cell {
  verification: Verification | undefined;
  sample: ExtrasSample | undefined;
}

/** Starts Reel for one condition, warms it up, times W3 once, stops it. */
async function runCell(
  condition: Condition,
  round: number,
  dir: string,
  fixture: Fixture,
  options: Options,
  shouldVerify: boolean,
): Promise<Cell> {
  const cacheDir = mkdtempSync(join(fixture.scratch, "extras-cache-"));
  const running = await reelPeer.start({
    dir,
    cpu: options.serverCpu,
    scratch: fixture.scratch,
    env: { EXTRAS: condition === "rendering" ? "on" : "off", CACHE_DIR: cacheDir },
  });
  try {
    const verification = shouldVerify ? await verifyPeer(running, fixture) : undefined;
    if (verification !== undefined && !verification.isRankable) {
      return { verification, sample: undefined };
    }
    if (condition === "rendering") {
      await waitForQueue(running);
    }
    const workload = workloadById("W3");
    const url = `http://127.0.0.1:${running.port}${running.urlFor(fixture.filename)}`;
    if (options.warmupSeconds > 0) {
      await runWrk({
        url,
        connections: workload.connections,
        durationSeconds: options.warmupSeconds,
        fileSize: fixture.size,
        rangeLength: workload.rangeLength,
        cpu: options.clientCpu,
      });
    }
    const before = condition === "rendering" ? (await readExtras(running)).pending : null;
    const [reelPid] = running.pids();
    const ffmpeg = new CpuMeter(() => (reelPid === undefined ? [] : childPidsOf(reelPid)));
    ffmpeg.start();
    let ffmpegCpu = 0;
    let sample: Awaited<ReturnType<typeof measure>>;
    try {
      sample = await measure(running, "reel", workload, round, {
        warmupSeconds: 0, // done above, before the queue was checked
        durationSeconds: options.durationSeconds,
        clientCpu: options.clientCpu,
        serverCpu: options.serverCpu,
        fileSize: fixture.size,
        filename: fixture.filename,
      });
    } finally {
      ffmpegCpu = ffmpeg.stop();
    }
    const after = condition === "rendering" ? (await readExtras(running)).pending : null;
    return {
      verification,
      sample: {
        condition,
        round,
        requestsPerSecond: sample.requestsPerSecond,
        p99Ms: sample.p99Ms,
        peakRssBytes: sample.peakRssBytes,
        errors: sample.errors,
        cpu: {
          server: sample.cpu?.server ?? Number.NaN,
          ffmpeg: ffmpegCpu,
          client: sample.cpu?.client ?? Number.NaN,
          serverCoreBusy: sample.cpu?.serverCoreBusy ?? Number.NaN,
          clientCoreBusy: sample.cpu?.clientCoreBusy ?? Number.NaN,
        },
        pendingAtStart: before,
        pendingAtEnd: after,
      },
    };
  } finally {
    await running.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** Waits until the first scan has queued renders; throws when extras are disabled. */
async function waitForQueue(running: RunningPeer): Promise<void> {
  const deadline = Date.now() + QUEUE_WAIT_MS;
  while (Date.now() < deadline) {
    const extras = await readExtras(running);
    if (!extras.enabled) {
      throw new Error(`extras: Reel has them disabled (${extras.reason ?? "no reason given"})`);
    }
    if (extras.pending > 0) {
      return;
    }
    await sleep(100);
  }
  throw new Error(`extras: nothing was queued within ${QUEUE_WAIT_MS / 1000} s`);
}

interface ExtrasHealth {
  enabled: boolean;
  reason: string | null;
  pending: number;
}

/** `extras` of `GET /api/health`. */
async function readExtras(running: RunningPeer): Promise<ExtrasHealth> {
  const response = await fetch(`http://127.0.0.1:${running.port}/api/health`);
  const body: unknown = await response.json();
  return parseExtrasHealth(body);
}

/** The `extras` member of a health body, shape-checked. */
export function parseExtrasHealth(body: unknown): ExtrasHealth {
  const extras =
    typeof body === "object" && body !== null && "extras" in body ? body.extras : undefined;
  if (
    typeof extras === "object" &&
    extras !== null &&
    "enabled" in extras &&
    typeof extras.enabled === "boolean" &&
    "pending" in extras &&
    typeof extras.pending === "number"
  ) {
    const reason = "reason" in extras && typeof extras.reason === "string" ? extras.reason : null;
    return { enabled: extras.enabled, reason, pending: extras.pending };
  }
  throw new Error(`unexpected /api/health body: ${JSON.stringify(body).slice(0, 200)}`);
}

function ffmpegVersion(): string {
  const result = spawnSync("ffmpeg", ["-version"], { encoding: "utf8" });
  // "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) …"
  const match = /ffmpeg version (\S+)/.exec(result.stdout ?? "");
  return match ? `ffmpeg ${match[1]}` : "ffmpeg (version unknown)";
}
