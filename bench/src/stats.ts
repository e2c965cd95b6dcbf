/** Medians across rounds and Reel's ratio to each peer. */
import { type CellCpu, summariseCpu } from "./cell-cpu.js";
import type { Workload } from "./workloads.js";

/** One timed workload on one server in one round. */
export interface Sample {
  peerId: string;
  workload: Workload["id"];
  round: number;
  /** The ranked figure: MiB/s for W1, req/s otherwise. */
  value: number;
  requestsPerSecond: number;
  p99Ms: number;
  peakRssBytes: number;
  errors: number;
  /** Body throughput of the run, whatever the workload is ranked by. */
  mibPerSecond?: number;
  /** CPU used during the timed run, as shares of one core (see cpu.ts). */
  cpu?: CpuShares;
  /** Peak RSS of the backing store's daemons (the object store), summed like nginx's. */
  storePeakRssBytes?: number;
}

/** Who used how much CPU during one timed run; 1.0 = one core busy throughout. */
export interface CpuShares {
  server: number;
  /** wrk, the load generator (all its threads). */
  client: number;
  /** wrk's threads during the run. */
  clientThreads?: number;
  /** Mean busy share over every core, by anyone. */
  allCoresBusy?: number;
  /** The object store's daemons, when there is a store. */
  store?: number;
  /** How busy the server's core was, by anyone (other work on the machine included). */
  serverCoreBusy?: number;
  /** How busy wrk's core was, by anyone. */
  clientCoreBusy?: number;
}

/** Medians of every figure over the rounds of one peer × workload. */
export interface Summary {
  peerId: string;
  workload: Workload["id"];
  value: number;
  requestsPerSecond: number;
  p99Ms: number;
  peakRssBytes: number;
  /** Errors summed over the rounds (any is a problem). */
  errors: number;
  rounds: number;
  /** (max − min) / median of `value`: how noisy the rounds were. */
  spread: number;
  /** Lowest and highest `value` over the rounds. */
  min: number;
  max: number;
  /** Medians of the CPU figures, when metered. */
  cpu?: CellCpu;
}

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/** Groups samples by peer × workload and takes medians. */
export function summarise(samples: Sample[]): Summary[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = `${sample.peerId}\u0000${sample.workload}`;
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0];
    if (first === undefined) {
      throw new Error("empty group");
    }
    const values = group.map((sample) => sample.value);
    const middle = median(values);
    const cpu = summariseCpu(group);
    return {
      peerId: first.peerId,
      workload: first.workload,
      value: middle,
      requestsPerSecond: median(group.map((sample) => sample.requestsPerSecond)),
      p99Ms: median(group.map((sample) => sample.p99Ms)),
      peakRssBytes: median(group.map((sample) => sample.peakRssBytes)),
      errors: group.reduce((total, sample) => total + sample.errors, 0),
      rounds: group.length,
      spread: middle > 0 ? (Math.max(...values) - Math.min(...values)) / middle : 0,
      min: Math.min(...values),
      max: Math.max(...values),
      ...(cpu === undefined ? {} : { cpu }),
    };
  });
}

/** The summary for `peerId` × `workload`, if measured. */
export function findSummary(
  summaries: Summary[],
  peerId: string,
  workload: Workload["id"],
): Summary | undefined {
  return summaries.find((summary) => summary.peerId === peerId && summary.workload === workload);
}

/** Reel's ranked figure divided by `peerId`'s (higher is better for Reel); NaN if either is missing. */
export function ratioToPeer(
  summaries: Summary[],
  peerId: string,
  workload: Workload["id"],
): number {
  const reel = findSummary(summaries, "reel", workload);
  const peer = findSummary(summaries, peerId, workload);
  if (reel === undefined || peer === undefined || peer.value === 0) {
    return Number.NaN;
  }
  return reel.value / peer.value;
}
