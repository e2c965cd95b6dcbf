/**
 * The per-cell table of the comparison: for every server × workload, the round-to-round spread
 * of the ranked figure and who used how much CPU (issue #17, "measure it honestly"), with a ⚑ on
 * the cells that measured the load generator rather than the server.
 */
import {
  type CellCpu,
  GENERATOR_BOUND_MARK,
  GENERATOR_BUSY_LIMIT,
  generatorBusy,
  generatorMark,
} from "./cell-cpu.js";
import { findSummary, type Summary } from "./stats.js";
import type { Workload } from "./workloads.js";

/** A server's row label and id in `summaries`. */
export interface CellPeer {
  id: string;
  name: string;
}

/**
 * Markdown rows (header included) of the per-cell table. `generator` names what the generator
 * busy column shows: wrk's pinned core's busy share, or wrk's CPU per thread when unpinned.
 */
export function cellTable(
  peers: CellPeer[],
  summaries: Summary[],
  workloads: Workload[],
  generator: "core" | "per-thread",
): string[] {
  const header = [
    "server",
    "workload",
    "median",
    "min – max",
    "spread",
    "server CPU",
    "server µs/req",
    "wrk CPU",
    generator === "core" ? "wrk core busy" : "wrk CPU per thread",
    generator === "core" ? "server core busy" : "all cores busy",
    "",
  ];
  const rows = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const peer of peers) {
    for (const workload of workloads) {
      const summary = findSummary(summaries, peer.id, workload.id);
      if (summary === undefined) {
        continue;
      }
      const figures = cellFigures(summary, generator);
      rows.push(`| ${[peer.name, `${workload.id} ${workload.metric}`, ...figures].join(" | ")} |`);
    }
  }
  return rows;
}

/** The caption under the table: units, sources and the ⚑ rule. */
export function cellCaption(generator: "core" | "per-thread"): string {
  const limit = `${(GENERATOR_BUSY_LIMIT * 100).toFixed(0)} %`;
  const rule =
    generator === "core"
      ? `wrk core busy = how busy wrk's core was by anyone (/proc/stat deltas: wrk, the benchmark's own polling and other work on the machine), the time the generator had; ${GENERATOR_BOUND_MARK} when it was above ${limit}`
      : `wrk is not pinned here, so no core is the generator's: ${GENERATOR_BOUND_MARK} when wrk's own CPU per thread was above ${limit} of a core`;
  return (
    "Median, min – max and spread ((max − min) / median) of the ranked figure over the rounds. " +
    "CPU: user + system over the timed window from /proc/<pid>/stat, all threads, as a share of one core " +
    "(200 % = two cores); the server's is summed over its processes (nginx master + workers, Reel and its " +
    "cluster workers). Server µs/req: the server's CPU time per request, medians of the rounds. " +
    (generator === "core"
      ? "Server core busy: the server's core, by anyone. "
      : "All cores busy: mean over the cores, by anyone. ") +
    `${rule}; such a cell measured the load generator, not the server, and a server's figure there is a lower bound; ` +
    "† = wrk itself used less than half of that: other work on the machine took the generator's core."
  );
}

function cellFigures(summary: Summary, generator: "core" | "per-thread"): string[] {
  const spread = [
    `${summary.value.toFixed(0)}`,
    `${summary.min.toFixed(0)} – ${summary.max.toFixed(0)}`,
    percent(summary.spread),
  ];
  const cpu: CellCpu | undefined = summary.cpu;
  if (cpu === undefined) {
    return [...spread, "n/a", "n/a", "n/a", "n/a", "n/a", ""];
  }
  return [
    ...spread,
    percent(cpu.server),
    formatMicroseconds(cpu.serverUsPerRequest),
    percent(cpu.client),
    percent(generatorBusy(cpu)),
    percent((generator === "core" ? cpu.serverCoreBusy : cpu.allCoresBusy) ?? Number.NaN),
    generatorMark(cpu),
  ];
}

function percent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : "n/a";
}

/** 12.34 → "12.3", 1234.5 → "1235": µs per request to a sensible precision. */
export function formatMicroseconds(us: number): string {
  if (!Number.isFinite(us)) {
    return "n/a";
  }
  return us >= 100 ? us.toFixed(0) : us.toFixed(1);
}
