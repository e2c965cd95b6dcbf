/**
 * The comparison section of RESULTS.md: results, per-cell spread and CPU, ratios, targets, the
 * all-cores rows, byte-exactness, chart.
 */
import { renderAllCores } from "./all-cores-report.js";
import { cellCaption, cellTable } from "./cells-report.js";
import { renderBarChart } from "./chart.js";
import type { AllCoresRun } from "./modes/all-cores.js";
import type { Options } from "./options.js";
import type { PeerDefinition } from "./peers/types.js";
import { writeSection } from "./results-file.js";
import { findSummary, ratioToPeer, type Sample, type Summary } from "./stats.js";
import type { SystemInfo } from "./system-info.js";
import { checkIssue17Targets, checkTargets, formatMet } from "./targets.js";
import { isTimedOn, type Verification } from "./verify.js";

/** Everything one comparison run produced. */
export interface ComparisonRun {
  options: Options;
  peers: PeerDefinition[];
  verifications: Map<string, Verification>;
  summaries: Summary[];
  samples: Sample[];
  /** The all-cores rows, when they ran. */
  allCores?: AllCoresRun;
  system: SystemInfo;
}

/** Writes the section and the chart; returns the paths written. */
export function writeComparison(run: ComparisonRun): string[] {
  const chartName = run.options.isQuick ? "results-quick.svg" : "results.svg";
  const chart = renderBarChart(
    `Reel vs peers — medians of ${run.options.rounds} round(s), ${run.system.date}`,
    run.peers.map((peer) => ({ id: peer.id, name: peer.name })),
    run.options.workloads.map((workload) => ({
      label: `${workload.id} ${workload.title}, ${workload.connections} conn`,
      unit: workload.metric,
      values: Object.fromEntries(
        run.peers.map((peer) => [peer.id, findSummary(run.summaries, peer.id, workload.id)?.value]),
      ),
    })),
  );
  const raw = {
    ...run,
    verifications: Object.fromEntries(run.verifications),
    ...(run.allCores === undefined
      ? {}
      : {
          allCores: {
            ...run.allCores,
            verifications: Object.fromEntries(run.allCores.verifications),
          },
        }),
  };
  return writeSection(
    "comparison",
    renderComparison(run, chartName),
    run.options.isQuick,
    { [chartName]: chart },
    raw,
  );
}

/** The markdown of the comparison section. */
export function renderComparison(run: ComparisonRun, chartName: string): string {
  const { options, peers, summaries, system } = run;
  const lines: string[] = [];
  lines.push(
    `## Comparison${options.isQuick ? " (quick smoke run — not a measurement)" : ""}`,
    "",
    `Command: \`pnpm bench${options.isQuick ? " --quick" : ""}\` · ${options.rounds} interleaved round(s) · ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per workload · ` +
      `server on core ${options.serverCpu} (Reel with \`WORKERS=1\`), wrk (1 thread) on core ${options.clientCpu} · loopback` +
      `${options.isQuick ? ` · W404 and the all-cores rows ${options.briefWarmupSeconds} s warm-up + ${options.briefDurationSeconds} s` : ""}.`,
    "",
    machineTable(system),
    "",
    "### Medians",
    "",
  );
  const workloads = options.workloads;
  const header = [
    "server",
    ...workloads.flatMap((w) =>
      w.id === "W3" || w.id === "W4"
        ? [`${w.id} req/s`, `${w.id} p99 ms`]
        : [`${w.id} ${w.metric}`],
    ),
    "peak RSS MB",
    "errors",
    "max spread",
  ];
  lines.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
  for (const peer of peers) {
    const verification = run.verifications.get(peer.id);
    const failed = verification?.checks.filter((check) => !check.ok) ?? [];
    const mark = failed.length > 0 ? ` ✗<sup>${failed.map((c) => c.name).join("; ")}</sup>` : "";
    if (verification !== undefined && !verification.isRankable) {
      lines.push(
        `| ${peer.name}${mark} | ${workloads.map(() => "wrong bytes — not ranked").join(" | ")} | | | |`,
      );
      continue;
    }
    const cells = workloads.flatMap((w) => {
      const s = findSummary(summaries, peer.id, w.id);
      if (verification !== undefined && !isTimedOn(verification, w.id)) {
        return ["no 404 — not timed"]; // only W404 is gated
      }
      const value = s ? s.value.toFixed(0) : "n/a";
      return w.id === "W3" || w.id === "W4" ? [value, s ? s.p99Ms.toFixed(1) : "n/a"] : [value];
    });
    const mine = summaries.filter((s) => s.peerId === peer.id);
    const peak = Math.max(...mine.map((s) => s.peakRssBytes), 0) / 1e6;
    const errors = mine.reduce((total, s) => total + s.errors, 0);
    const spread = Math.max(...mine.map((s) => s.spread), 0);
    lines.push(
      `| ${peer.name}${mark} | ${cells.join(" | ")} | ${peak.toFixed(0)} | ${errors} | ${(spread * 100).toFixed(0)} % |`,
    );
  }
  lines.push(
    "",
    "Peak RSS is the largest over the workloads (kernel VmHWM reset per workload; summed over a server's processes: nginx master + worker). " +
      "Spread = (max − min) / median of the ranked figure over the rounds. ✗ marks a failed byte-exactness check (below). " +
      "W404 asks for a missing file: its 404s are the answers timed, not errors (a server that does not answer 404 is not timed on it).",
    "",
    "### Per cell: spread and CPU",
    "",
    ...cellTable(peers, summaries, workloads, "core"),
    "",
    cellCaption("core"),
    "",
    "### Reel ÷ peer (ranked figure; > 1 means Reel is faster)",
    "",
    `| peer | ${workloads.map((w) => w.id).join(" | ")} |`,
    `|---|${workloads.map(() => "---").join("|")}|`,
  );
  for (const peer of peers.filter((p) => p.id !== "reel")) {
    const cells = workloads.map((w) => {
      const ratio = ratioToPeer(summaries, peer.id, w.id);
      return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "n/a";
    });
    lines.push(`| ${peer.name} | ${cells.join(" | ")} |`);
  }
  lines.push(
    "",
    "### Targets (issue #7)",
    "",
    "| target | measured | must reach | met | stretch | stretch met |",
    "|---|---|---|---|---|---|",
  );
  for (const row of checkTargets(summaries, workloads)) {
    lines.push(
      `| ${row.what} | ${row.measured} | ${row.mustReach} | ${formatMet(row.isMet)} | ${row.stretch} | ${row.stretch ? formatMet(row.isStretchMet) : ""} |`,
    );
  }
  lines.push(
    "",
    "### Targets (issue #17)",
    "",
    "| target | measured | must reach | met | note |",
    "|---|---|---|---|---|",
  );
  for (const row of checkIssue17Targets(summaries, run.allCores?.summaries)) {
    lines.push(
      `| ${row.what} | ${row.measured} | ${row.target} | ${formatMet(row.isMet)} | ${row.note} |`,
    );
  }
  lines.push(
    "",
    "Medians from this run; n/a where a figure was not measured (a peer or workload left out, or the all-cores rows not run). " +
      "⚑ generator-bound: the load generator was the limit of that cell, so its server was faster than measured.",
    "",
    ...renderAllCores(run.allCores),
  );
  lines.push("", "### Byte-exactness (checked before timing)", "");
  lines.push(...verificationTable(run.peers, run.verifications));
  lines.push("", `![Reel vs peers](${options.isQuick ? `results/${chartName}` : chartName})`);
  return lines.join("\n");
}

/** One row per server and one column per byte-exactness check (✓ or ✗ with the problem). */
export function verificationTable(
  peers: PeerDefinition[],
  verifications: Map<string, Verification>,
): string[] {
  const first = [...verifications.values()][0];
  if (first === undefined) {
    return ["(no server was checked)"];
  }
  const names = first.checks.map((check) => `${check.name}${check.core ? " ◆" : ""}`);
  const rows = [`| server | ${names.join(" | ")} |`, `|---|${names.map(() => "---").join("|")}|`];
  for (const peer of peers) {
    const verification = verifications.get(peer.id);
    if (verification === undefined) {
      continue;
    }
    const cells = verification.checks.map((check) => (check.ok ? "✓" : `✗ ${check.problem ?? ""}`));
    rows.push(`| ${peer.name} | ${cells.join(" | ")} |`);
  }
  rows.push(
    "",
    "◆ core check (a shape the workloads send): failing one means the server is not timed.",
  );
  return rows;
}

/** The machine and versions table shared by every section. */
export function machineTable(system: SystemInfo): string {
  const packages = Object.entries(system.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  return [
    "| | |",
    "|---|---|",
    `| date | ${system.date} |`,
    `| machine | ${system.cpuModel}, ${system.cores} cores, ${system.memoryGiB} GiB, Linux ${system.kernel} |`,
    `| runtime | Node ${system.node}, ${system.nginx}, ${system.wrk} |`,
    `| packages | ${packages} |`,
    `| commit | ${system.commit} |`,
    `| load at the end | ${system.loadAverage.map((value) => value.toFixed(1)).join(" / ")} (1 / 5 / 15 min averages; other work on the machine) |`,
  ].join("\n");
}
