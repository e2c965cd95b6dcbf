/** Issue #7's targets, checked against the medians. */
import { findSummary, ratioToPeer, type Summary } from "./stats.js";
import type { Workload } from "./workloads.js";

/** One row of the targets table. */
export interface TargetRow {
  what: string;
  /** Measured figure as text (ratio or MB). */
  measured: string;
  mustReach: string;
  isMet: boolean | undefined;
  stretch: string;
  isStretchMet: boolean | undefined;
}

interface RatioTarget {
  workload: Workload["id"];
  peerId: string;
  mustReach: number;
  stretch?: number;
}

const RATIO_TARGETS: RatioTarget[] = [
  { workload: "W1", peerId: "send", mustReach: 1.0 },
  { workload: "W1", peerId: "nginx", mustReach: 0.9, stretch: 1.0 },
  { workload: "W2", peerId: "send", mustReach: 1.0 },
  { workload: "W2", peerId: "nginx", mustReach: 0.5, stretch: 0.8 },
  { workload: "W3", peerId: "send", mustReach: 1.0, stretch: 3.0 },
  { workload: "W3", peerId: "fastify", mustReach: 1.5 },
  { workload: "W4", peerId: "send", mustReach: 1.0, stretch: 3.0 },
  { workload: "W4", peerId: "fastify", mustReach: 1.5 },
];
const RSS_LIMIT_MB = 150; // MB = 10^6 bytes, the stricter reading of the "150 MB"
const RSS_STRETCH_MB = 100;
const NAMES: Record<string, string> = { send: "send", nginx: "nginx", fastify: "@fastify/static" };

/** Every target row, with `undefined` where a figure is missing. */
export function checkTargets(summaries: Summary[], workloads: Workload[]): TargetRow[] {
  const measuredIds = new Set(workloads.map((workload) => workload.id));
  const rows: TargetRow[] = RATIO_TARGETS.filter((target) => measuredIds.has(target.workload)).map(
    (target) => {
      const ratio = ratioToPeer(summaries, target.peerId, target.workload);
      const known = Number.isFinite(ratio);
      return {
        what: `${target.workload}: Reel ÷ ${NAMES[target.peerId] ?? target.peerId}`,
        measured: known ? `${ratio.toFixed(2)}×` : "n/a",
        mustReach: `≥ ${target.mustReach.toFixed(1)}×`,
        isMet: known ? ratio >= target.mustReach : undefined,
        stretch: target.stretch === undefined ? "" : `≥ ${target.stretch.toFixed(1)}×`,
        isStretchMet: target.stretch === undefined || !known ? undefined : ratio >= target.stretch,
      };
    },
  );
  for (const workload of workloads) {
    const reel = findSummary(summaries, "reel", workload.id);
    const mb = reel === undefined ? Number.NaN : reel.peakRssBytes / 1e6;
    const known = Number.isFinite(mb);
    rows.push({
      what: `${workload.id}: Reel peak RSS`,
      measured: known ? `${mb.toFixed(0)} MB` : "n/a",
      mustReach: `< ${RSS_LIMIT_MB} MB`,
      isMet: known ? mb < RSS_LIMIT_MB : undefined,
      stretch: `< ${RSS_STRETCH_MB} MB`,
      isStretchMet: known ? mb < RSS_STRETCH_MB : undefined,
    });
  }
  return rows;
}

/** "met" / "**not met**" / "n/a". */
export function formatMet(isMet: boolean | undefined): string {
  if (isMet === undefined) {
    return "n/a";
  }
  return isMet ? "met" : "**not met**";
}
