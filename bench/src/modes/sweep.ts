/** `--sweep`: Reel at each candidate CHUNK_SIZE, same rounds and workloads as the comparison. */
import type { Fixture } from "../fixture.js";
import type { Options } from "../options.js";
import { reelPeer } from "../peers/reel.js";
import { machineTable } from "../report.js";
import { writeSection } from "../results-file.js";
import { findSummary, type Summary, summarise } from "../stats.js";
import { collectSystemInfo, type SystemInfo } from "../system-info.js";
import type { Workload } from "../workloads.js";
import { runRounds } from "./rounds.js";

/** The sizes issue #7 asks for, in bytes: the seed's 10,000, 64 KiB, 256 KiB, 1 MiB. */
export const CHUNK_SIZES = [10_000, 65_536, 262_144, 1_048_576];

/** Runs the sweep and writes its section. */
export async function runSweep(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const started = new Date();
  const contestants = CHUNK_SIZES.map((size) => ({
    id: `chunk-${size}`,
    name: `Reel CHUNK_SIZE=${size}`,
    peer: reelPeer,
    env: { CHUNK_SIZE: String(size) },
  }));
  // CHUNK_SIZE never touches a 404: W404 would only add minutes.
  const workloads = options.workloads.filter((workload) => workload.expectedStatus === undefined);
  const { samples } = await runRounds(contestants, fixture, { ...options, workloads, log });
  const summaries = summarise(samples);
  const markdown = renderSweep({ ...options, workloads }, summaries, collectSystemInfo(started));
  const files = writeSection(
    "sweep",
    markdown,
    options.isQuick,
    {},
    { options, samples, summaries },
  );
  log(`wrote ${files.join(", ")}`);
}

function renderSweep(options: Options, summaries: Summary[], system: SystemInfo): string {
  const workloads: Workload[] = options.workloads;
  const lines = [
    `## CHUNK_SIZE sweep${options.isQuick ? " (quick smoke run — not a measurement)" : ""}`,
    "",
    `Command: \`pnpm bench --sweep${options.isQuick ? " --quick" : ""}\` · ${options.rounds} interleaved round(s) · ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per workload. Medians; ` +
      "peak RSS in MB; best per column in bold.",
    "",
    machineTable(system),
    "",
    `| CHUNK_SIZE | ${workloads.map((w) => `${w.id} ${w.metric}`).join(" | ")} | W3 p99 ms | peak RSS MB |`,
    `|---|${workloads.map(() => "---").join("|")}|---|---|`,
  ];
  const best = new Map(
    workloads.map((w) => [
      w.id,
      Math.max(
        ...CHUNK_SIZES.map((size) => findSummary(summaries, `chunk-${size}`, w.id)?.value ?? 0),
      ),
    ]),
  );
  for (const size of CHUNK_SIZES) {
    const id = `chunk-${size}`;
    const cells = workloads.map((w) => {
      const value = findSummary(summaries, id, w.id)?.value;
      if (value === undefined) {
        return "n/a";
      }
      return value === best.get(w.id) ? `**${value.toFixed(0)}**` : value.toFixed(0);
    });
    const p99 = findSummary(summaries, id, "W3")?.p99Ms;
    const peak =
      Math.max(...summaries.filter((s) => s.peerId === id).map((s) => s.peakRssBytes), 0) / 1e6;
    lines.push(
      `| ${size} | ${cells.join(" | ")} | ${p99 === undefined ? "n/a" : p99.toFixed(1)} | ${peak.toFixed(0)} |`,
    );
  }
  return lines.join("\n");
}
