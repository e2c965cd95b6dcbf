/**
 * The `extras` section of RESULTS.md (and the summary printed at the end of the mode): W3
 * against Reel idle and while its media-extras queue renders, medians per condition, and
 * rendering ÷ idle against the issue's target.
 */
import type { PeerDefinition } from "./peers/types.js";
import { machineTable, verificationTable } from "./report.js";
import { median } from "./stats.js";
import type { SystemInfo } from "./system-info.js";
import type { Verification } from "./verify.js";

/** Rendering ÷ idle req/s that the issue asks for ("ranged GETs keep working"). */
export const RENDERING_RATIO_TARGET = 0.7;

/** The two cells of a round. */
export type Condition = "idle" | "rendering";
/** Every condition, in the order the first round runs them (later rounds alternate). */
export const CONDITIONS: Condition[] = ["idle", "rendering"];

/** CPU during one timed run, as shares of one core (see cpu.ts). */
export interface ExtrasCpu {
  /** Reel's process alone (its children are not in its /proc stat). */
  server: number;
  /** Every ffmpeg and ffprobe child of Reel (nice 19), summed. */
  ffmpeg: number;
  /** wrk. */
  client: number;
  serverCoreBusy: number;
  clientCoreBusy: number;
}

/** One timed W3 run against Reel in one condition. */
export interface ExtrasSample {
  condition: Condition;
  round: number;
  requestsPerSecond: number;
  p99Ms: number;
  /** Reel's peak RSS during the run (VmHWM reset first, see memory.ts). */
  peakRssBytes: number;
  errors: number;
  cpu: ExtrasCpu;
  /** `extras.pending` of /api/health just before the timed run; null when extras are off. */
  pendingAtStart: number | null;
  /** The same just after it. */
  pendingAtEnd: number | null;
}

/** Medians of one condition over the rounds. */
export interface ExtrasSummary {
  condition: Condition;
  requestsPerSecond: number;
  p99Ms: number;
  peakRssBytes: number;
  /** The largest peak of any round: "RSS stays bounded" is a claim about the worst case. */
  maxPeakRssBytes: number;
  cpu: ExtrasCpu;
  errors: number;
  rounds: number;
  /**
   * Reel's CPU time per request (µs): what a request costs Reel whatever share of its core the
   * rest of the machine left it, so steadier than req/s on a loaded machine.
   */
  serverCpuUsPerRequest: number;
  /** (max − min) / median of req/s. */
  spread: number;
  /** `[pendingAtStart, pendingAtEnd]` per round, in round order. */
  pending: Array<[number | null, number | null]>;
  /** Rounds whose queue was empty at the start or the end of the timed run. */
  roundsNotRenderingThroughout: number;
}

/** True when the queue had renders both when the timed run began and when it ended. */
export function wasRenderingThroughout(sample: ExtrasSample): boolean {
  return (sample.pendingAtStart ?? 0) > 0 && (sample.pendingAtEnd ?? 0) > 0;
}

/** Groups `samples` by condition and takes medians of every figure. */
export function summariseExtras(samples: ExtrasSample[]): ExtrasSummary[] {
  return CONDITIONS.flatMap((condition) => {
    const group = samples
      .filter((sample) => sample.condition === condition)
      .sort((a, b) => a.round - b.round);
    if (group.length === 0) {
      return [];
    }
    const of = (pick: (sample: ExtrasSample) => number) => median(group.map(pick));
    const rates = group.map((s) => s.requestsPerSecond);
    const requestsPerSecond = median(rates);
    return [
      {
        condition,
        requestsPerSecond,
        p99Ms: of((s) => s.p99Ms),
        peakRssBytes: of((s) => s.peakRssBytes),
        maxPeakRssBytes: Math.max(...group.map((s) => s.peakRssBytes)),
        cpu: {
          server: of((s) => s.cpu.server),
          ffmpeg: of((s) => s.cpu.ffmpeg),
          client: of((s) => s.cpu.client),
          serverCoreBusy: of((s) => s.cpu.serverCoreBusy),
          clientCoreBusy: of((s) => s.cpu.clientCoreBusy),
        },
        errors: group.reduce((total, s) => total + s.errors, 0),
        rounds: group.length,
        serverCpuUsPerRequest: of((s) =>
          s.requestsPerSecond > 0 ? (s.cpu.server / s.requestsPerSecond) * 1e6 : Number.NaN,
        ),
        spread:
          requestsPerSecond > 0 ? (Math.max(...rates) - Math.min(...rates)) / requestsPerSecond : 0,
        pending: group.map((s): [number | null, number | null] => [
          s.pendingAtStart,
          s.pendingAtEnd,
        ]),
        roundsNotRenderingThroughout:
          condition === "rendering" ? group.filter((s) => !wasRenderingThroughout(s)).length : 0,
      },
    ];
  });
}

/**
 * Rendering ÷ idle of req/s and of p99 latency, and Reel's CPU per request idle ÷ rendering (the
 * req/s ratio Reel would reach with its core to itself); NaN where a figure is missing or zero.
 */
export function renderingRatios(summaries: ExtrasSummary[]): {
  requests: number;
  p99: number;
  cpuPerRequest: number;
} {
  const idle = summaries.find((s) => s.condition === "idle");
  const rendering = summaries.find((s) => s.condition === "rendering");
  if (idle === undefined || rendering === undefined) {
    return { requests: Number.NaN, p99: Number.NaN, cpuPerRequest: Number.NaN };
  }
  const divide = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  return {
    requests: divide(rendering.requestsPerSecond, idle.requestsPerSecond),
    p99: divide(rendering.p99Ms, idle.p99Ms),
    cpuPerRequest: divide(idle.serverCpuUsPerRequest, rendering.serverCpuUsPerRequest),
  };
}

/** "met" when `ratio` reaches the target, bold "not met" below it, "n/a" when unknown. */
export function judgeRatio(ratio: number, target = RENDERING_RATIO_TARGET): string {
  if (!Number.isFinite(ratio)) {
    return "n/a";
  }
  return ratio >= target ? "met" : "**not met**";
}

/** Everything one extras run produced. */
export interface ExtrasRun {
  /** How it was started, e.g. `pnpm bench --extras`. */
  command: string;
  isQuick: boolean;
  rounds: number;
  warmupSeconds: number;
  durationSeconds: number;
  serverCpu: number;
  clientCpu: number;
  /** Videos queued for rendering (beside the W3 file). */
  videoCount: number;
  /** What the clips are, e.g. "24 s, 640x360 testsrc, libx264 veryfast". */
  videoDescription: string;
  /** `ffmpeg -version`, first line. */
  ffmpegVersion: string;
  /** 1, 5 and 15 minute load averages when the mode began. */
  loadAtStart: number[];
  /** The server timed (Reel), for the byte-exactness table. */
  peer: PeerDefinition;
  verification: Verification | undefined;
  summaries: ExtrasSummary[];
  system: SystemInfo;
}

const fixed = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toFixed(digits) : "n/a";
const percent = (share: number) =>
  Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : "n/a";
const times = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "n/a");
const mb = (bytes: number) => fixed(bytes / 1e6);

/** "21 → 19" per round; "off" with extras off; ⚠ where the queue ran dry. */
export function describePending(pending: Array<[number | null, number | null]>): string {
  return pending
    .map(([start, end]) => {
      if (start === null || end === null) {
        return "off";
      }
      return `${start} → ${end}${start > 0 && end > 0 ? "" : " ⚠"}`;
    })
    .join(", ");
}

/** The table of medians and the ratio table, shared by RESULTS.md and the printed summary. */
export function renderExtrasTables(run: ExtrasRun): string[] {
  const label: Record<Condition, string> = {
    idle: "idle (EXTRAS=off)",
    rendering: `rendering (${run.videoCount} clips + the W3 file queued)`,
  };
  const lines = [
    `| Reel, W3 | req/s | p99 ms | peak RSS MB, median (max) | CPU Reel | Reel CPU µs/req | CPU ffmpeg (nice 19) | CPU wrk | core ${run.clientCpu} / ${run.serverCpu} busy | renders pending, start → end of each round | errors | spread |`,
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const condition of CONDITIONS) {
    const s = run.summaries.find((x) => x.condition === condition);
    if (s === undefined) {
      lines.push(`| ${label[condition]} | n/a | | | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${label[condition]} | ${fixed(s.requestsPerSecond)} | ${fixed(s.p99Ms, 1)} | ` +
        `${mb(s.peakRssBytes)} (${mb(s.maxPeakRssBytes)}) | ${percent(s.cpu.server)} | ` +
        `${fixed(s.serverCpuUsPerRequest)} | ` +
        `${condition === "idle" ? "—" : percent(s.cpu.ffmpeg)} | ${percent(s.cpu.client)} | ` +
        `${percent(s.cpu.clientCoreBusy)} / ${percent(s.cpu.serverCoreBusy)} | ` +
        `${describePending(s.pending)} | ${s.errors} | ${(s.spread * 100).toFixed(0)} % |`,
    );
  }
  const ratios = renderingRatios(run.summaries);
  const idle = run.summaries.find((s) => s.condition === "idle");
  const rendering = run.summaries.find((s) => s.condition === "rendering");
  const early = rendering?.roundsNotRenderingThroughout ?? 0;
  lines.push(
    "",
    "| W3 | rendering ÷ idle, req/s | target | met | p99 ms idle | p99 ms rendering | p99 rendering ÷ idle | Reel CPU per request, idle ÷ rendering | Reel peak RSS MB idle / rendering (max) |",
    "|---|---|---|---|---|---|---|---|---|",
    `| random 10 KB ranges, 64 connections${early > 0 ? ` (rendering finished early in ${early} of ${rendering?.rounds ?? 0} rounds ⚠)` : ""} | ` +
      `${times(ratios.requests)} | ≥ ${RENDERING_RATIO_TARGET.toFixed(1)}× | ${judgeRatio(ratios.requests)} | ` +
      `${fixed(idle?.p99Ms ?? Number.NaN, 1)} | ${fixed(rendering?.p99Ms ?? Number.NaN, 1)} | ` +
      `${times(ratios.p99)} | ${times(ratios.cpuPerRequest)} | ${mb(idle?.maxPeakRssBytes ?? Number.NaN)} / ${mb(rendering?.maxPeakRssBytes ?? Number.NaN)} |`,
  );
  return lines;
}

/** The markdown of the `extras` section. */
export function renderExtras(run: ExtrasRun): string {
  const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(" / ");
  const lines = [
    `## Ranged GETs while the extras render${run.isQuick ? " (quick smoke run — not a measurement)" : ""}`,
    "",
    `Command: \`${run.command}\` · ${run.rounds} interleaved round(s) of idle and rendering ` +
      `(order alternating per round) · ${run.warmupSeconds} s warm-up + ${run.durationSeconds} s of W3 ` +
      `per cell · Reel on core ${run.serverCpu} (its ffmpeg children inherit the pin), wrk ` +
      `(1 thread) on core ${run.clientCpu} · loopback.`,
    "",
    machineTable(run.system),
    `| load at the start | ${load(run.loadAtStart)} (when these rows began) |`,
    `| videos | the 64 MiB W3 file + ${run.videoCount} clips (${run.videoDescription}); ${run.ffmpegVersion} |`,
    "",
    "### Medians",
    "",
    ...renderExtrasTables(run),
    "",
    "Idle: Reel started with `EXTRAS=off`. W3 never touches the extras code (the range route " +
      "reads the file and nothing else), so the idle server differs from the rendering one only " +
      "by the queue; the alternative, `EXTRAS=on` over a cache rendered beforehand, would add a " +
      "wait for 21 renders (~0.6 s each on an idle core, far more on a loaded one) to every run, " +
      "CI's quick one included, for the same W3 path. " +
      "Rendering: Reel started with `EXTRAS=on` and a new, empty `CACHE_DIR` per cell, so every " +
      "clip (and the W3 file, whose probe fails fast: it is random bytes) is queued; " +
      "`EXTRAS_CONCURRENCY` is left at its default (1). The timed run starts only once " +
      "`/api/health` shows `extras.pending > 0`, after the warm-up; `extras.pending` is read " +
      "again just before and just after it (the pending column; ⚠ = the queue was empty at " +
      "one end, so part of the run was not under rendering). CPU columns: share of one core " +
      "over the timed run (user + system, all threads, /proc/<pid>/stat); ffmpeg = every " +
      "ffmpeg/ffprobe child of Reel, summed. Reel runs them at nice 19 and they inherit its " +
      "core, so while W3 keeps that core busy they get only what Reel leaves: the rows measure " +
      "what rendering costs the requests, not how fast it renders. Peak RSS: Reel's VmHWM, reset before each timed " +
      "run; ffmpeg's own memory is not Reel's (it writes its output to files). Reel CPU µs/req: " +
      "Reel's CPU time per request; idle ÷ rendering of it is the req/s ratio Reel would reach " +
      "with its core to itself, which other work on a shared machine moves less than req/s " +
      "(it leaves out the core time ffmpeg takes, which the CPU ffmpeg column shows). Spread = " +
      "(max − min) / median of req/s over the rounds; with other work on the machine, compare " +
      "the two rows of one run only.",
    "",
    "### Byte-exactness (checked before timing)",
    "",
    ...(run.verification === undefined
      ? ["(not checked)"]
      : verificationTable([run.peer], new Map([[run.peer.id, run.verification]]))),
  ];
  return lines.join("\n");
}
