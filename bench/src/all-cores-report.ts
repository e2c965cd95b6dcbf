/** The "All cores" part of the comparison section: Reel's cluster against nginx's workers. */
import { cellCaption, cellTable } from "./cells-report.js";
import type { AllCoresRun } from "./modes/all-cores.js";
import { findSummary, ratioToPeer } from "./stats.js";

/** Markdown lines of the subsection; a note when the rows did not run. */
export function renderAllCores(run: AllCoresRun | undefined): string[] {
  const lines = ["### All cores", ""];
  if (run === undefined) {
    return [...lines, "Not run (needs 2+ cores, W3 or W4 selected, and reel or nginx)."];
  }
  const { cores, workloads, peers, summaries } = run;
  lines.push(
    `Reel with \`WORKERS=${cores}\` (node:cluster, the processes share the port) and nginx with ` +
      `\`worker_processes auto\`, neither pinned; wrk with ${run.wrkThreads} threads (one per core), ` +
      "unpinned too, so the generator shares the cores with the server: its CPU is in the table below. " +
      "Interleaved rounds as above; peak RSS summed over each server's processes.",
    "",
  );
  const header = [
    "server",
    ...workloads.flatMap((w) => [`${w.id} req/s`, `${w.id} p99 ms`]),
    "peak RSS MB",
    "errors",
  ];
  lines.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
  for (const peer of peers) {
    if (run.verifications.get(peer.id)?.isRankable === false) {
      lines.push(
        `| ${peer.name} | ${workloads.map(() => "wrong bytes — not ranked").join(" | ")} | | |`,
      );
      continue;
    }
    const cells = workloads.flatMap((w) => {
      const s = findSummary(summaries, peer.id, w.id);
      return s === undefined ? ["n/a", "n/a"] : [s.value.toFixed(0), s.p99Ms.toFixed(1)];
    });
    const mine = summaries.filter((s) => s.peerId === peer.id);
    const peak = Math.max(...mine.map((s) => s.peakRssBytes), 0) / 1e6;
    const errors = mine.reduce((total, s) => total + s.errors, 0);
    lines.push(`| ${peer.name} | ${cells.join(" | ")} | ${peak.toFixed(0)} | ${errors} |`);
  }
  const ratios = workloads.map((w) => {
    const ratio = ratioToPeer(summaries, "nginx", w.id);
    return `${w.id} ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "n/a"}`;
  });
  lines.push(
    "",
    `Reel ÷ nginx on all cores: ${ratios.join(", ")}.`,
    "",
    ...cellTable(peers, summaries, workloads, "per-thread"),
    "",
    cellCaption("per-thread"),
  );
  return lines;
}
