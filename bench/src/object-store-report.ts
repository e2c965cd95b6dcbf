/**
 * The `object-store` section of RESULTS.md (and the summary printed at the end of the mode):
 * per server × workload medians with CPU of the server, the gateway and wrk, Reel ÷ the direct
 * SDK reader against the issue's target, and the byte-exactness checks.
 */
import type { PeerDefinition } from "./peers/types.js";
import { machineTable, verificationTable } from "./report.js";
import { median, type Sample } from "./stats.js";
import type { SystemInfo } from "./system-info.js";
import type { Verification } from "./verify.js";
import type { Workload } from "./workloads.js";

/** Reel ÷ direct reader that the issue asks for on W1 and W2. */
export const DIRECT_RATIO_TARGET = 0.8;
const TARGET_WORKLOADS = new Set<Workload["id"]>(["W1", "W2"]);
/** A party using at least this share of the core it may use is taken as the limit. */
const SATURATED = 0.85;
/** A core this busy (by anyone) had no time left to give. */
const FULL = 0.95;

/** Medians of the CPU figures: shares of one core (see stats.ts `CpuShares`). */
export interface StoreCpu {
  server: number;
  client: number;
  store: number;
  serverCoreBusy: number;
  clientCoreBusy: number;
}

/** Medians of one server × workload over the rounds. */
export interface StoreSummary {
  peerId: string;
  workload: Workload["id"];
  /** The ranked figure (MiB/s for W1, req/s otherwise). */
  value: number;
  mibPerSecond: number;
  requestsPerSecond: number;
  /**
   * The server's CPU time per request (ms): what a request costs it, whatever share of its core
   * other work left it, so steadier than the rates on a loaded machine.
   */
  serverCpuMsPerRequest: number;
  p99Ms: number;
  peakRssBytes: number;
  storePeakRssBytes: number;
  cpu: StoreCpu;
  errors: number;
  rounds: number;
  /** (max − min) / median of `value`. */
  spread: number;
}

/** Groups `samples` by server × workload and takes medians of every figure. */
export function summariseStore(samples: Sample[]): StoreSummary[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = `${sample.peerId}\u0000${sample.workload}`;
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  return [...groups.values()].flatMap((group) => {
    const first = group[0];
    if (first === undefined) {
      return [];
    }
    const of = (pick: (sample: Sample) => number) => median(group.map(pick));
    const value = of((s) => s.value);
    const values = group.map((s) => s.value);
    return [
      {
        peerId: first.peerId,
        workload: first.workload,
        value,
        mibPerSecond: of((s) => s.mibPerSecond ?? Number.NaN),
        requestsPerSecond: of((s) => s.requestsPerSecond),
        serverCpuMsPerRequest: of((s) =>
          s.cpu === undefined || s.requestsPerSecond === 0
            ? Number.NaN
            : (s.cpu.server / s.requestsPerSecond) * 1000,
        ),
        p99Ms: of((s) => s.p99Ms),
        peakRssBytes: of((s) => s.peakRssBytes),
        storePeakRssBytes: of((s) => s.storePeakRssBytes ?? Number.NaN),
        cpu: {
          server: of((s) => s.cpu?.server ?? Number.NaN),
          client: of((s) => s.cpu?.client ?? Number.NaN),
          store: of((s) => s.cpu?.store ?? Number.NaN),
          serverCoreBusy: of((s) => s.cpu?.serverCoreBusy ?? Number.NaN),
          clientCoreBusy: of((s) => s.cpu?.clientCoreBusy ?? Number.NaN),
        },
        errors: group.reduce((total, s) => total + s.errors, 0),
        rounds: group.length,
        spread: value > 0 ? (Math.max(...values) - Math.min(...values)) / value : 0,
      },
    ];
  });
}

/**
 * What held the figure down, from the CPU figures: "server", "gateway" or "wrk ⚠" (the load
 * generator: the cell says little about the server) when that party used ≥ 85 % of the core it
 * may use; with `sharedClientCore` the gateway is pinned to wrk's core, so their sum counts and
 * the larger one is named. A core ≥ 95 % busy while ours used less is marked † (taken by other
 * work on the machine). "—" when nothing is near a full core: the time then goes to round trips
 * to the store.
 */
export function limitOf(cpu: StoreCpu, sharedClientCore: boolean): string {
  const parts: string[] = [];
  if (cpu.server >= SATURATED) {
    parts.push("server");
  } else if (cpu.serverCoreBusy >= FULL) {
    parts.push("server core†");
  }
  if (sharedClientCore) {
    if (cpu.store + cpu.client >= SATURATED) {
      parts.push(cpu.store >= cpu.client ? "gateway" : "wrk ⚠");
    } else if (cpu.clientCoreBusy >= FULL) {
      parts.push("gateway+wrk core†");
    }
  } else {
    if (cpu.store >= SATURATED) {
      parts.push("gateway");
    }
    if (cpu.client >= SATURATED) {
      parts.push("wrk ⚠");
    } else if (cpu.store < SATURATED && cpu.clientCoreBusy >= FULL) {
      parts.push("wrk core†");
    }
  }
  return parts.length === 0 ? "—" : parts.join(", ");
}

/** Reel's ranked figure ÷ the direct reader's, NaN when either is missing. */
export function ratioToDirect(
  summaries: StoreSummary[],
  directId: string,
  workload: Workload["id"],
  peerId = "reel",
): number {
  const mine = summaries.find((s) => s.peerId === peerId && s.workload === workload);
  const direct = summaries.find((s) => s.peerId === directId && s.workload === workload);
  if (mine === undefined || direct === undefined || direct.value === 0) {
    return Number.NaN;
  }
  return mine.value / direct.value;
}

/**
 * The direct reader's server CPU per request ÷ Reel's: the throughput ratio the two would have
 * if each had a core to itself and nothing else limited them. It leans on CPU time, not on the
 * share of a core other work left each server, so it varies less on a loaded machine.
 */
export function cpuCostRatio(
  summaries: StoreSummary[],
  directId: string,
  workload: Workload["id"],
): number {
  const reel = summaries.find((s) => s.peerId === "reel" && s.workload === workload);
  const direct = summaries.find((s) => s.peerId === directId && s.workload === workload);
  if (reel === undefined || direct === undefined || !(reel.serverCpuMsPerRequest > 0)) {
    return Number.NaN;
  }
  return direct.serverCpuMsPerRequest / reel.serverCpuMsPerRequest;
}

/** Everything one object-store run produced. */
export interface StoreRun {
  /** How it was started, e.g. `pnpm bench --object-store`. */
  command: string;
  isQuick: boolean;
  rounds: number;
  warmupSeconds: number;
  durationSeconds: number;
  serverCpu: number;
  clientCpu: number;
  storeCpu: number | undefined;
  /** The gateway ran with `tcp_nodelay=1` (see gateway.ts). */
  storeNoDelay: boolean;
  workloads: Workload[];
  peers: PeerDefinition[];
  directId: string;
  verifications: Map<string, Verification>;
  summaries: StoreSummary[];
  system: SystemInfo;
  /** `radosgw --version`, first line. */
  cephVersion: string;
  gatewayStartMs: number;
  uploadMs: number;
  /** Peak RSS of the daemons with the object stored and idle, before any workload. */
  idleStoreRssBytes: number;
}

const fixed = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toFixed(digits) : "n/a";
/** Rates: whole numbers, one decimal below 10 (W1's req/s, W3's MiB/s). */
const rate = (value: number) =>
  Number.isFinite(value) ? value.toFixed(Math.abs(value) < 10 ? 1 : 0) : "n/a";
const percent = (share: number) =>
  Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : "n/a";

/** The table of medians and the ratio table, shared by RESULTS.md and the printed summary. */
export function renderStoreTables(run: StoreRun): string[] {
  const sharedClientCore = run.storeCpu === run.clientCpu;
  const lines = [
    `| server | workload | MiB/s | req/s | p99 ms | peak RSS MB | CPU server | server CPU ms/req | CPU gateway | CPU wrk | core ${run.clientCpu} / ${run.serverCpu} busy | limit | gateway RSS MB | errors | spread |`,
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const peer of run.peers) {
    const verification = run.verifications.get(peer.id);
    if (verification !== undefined && !verification.isRankable) {
      lines.push(`| ${peer.name} | wrong bytes — not timed (below) | | | | | | | | | | | | | |`);
      continue;
    }
    for (const workload of run.workloads) {
      const s = run.summaries.find((x) => x.peerId === peer.id && x.workload === workload.id);
      if (s === undefined) {
        lines.push(`| ${peer.name} | ${workload.id} | n/a | | | | | | | | | | | | |`);
        continue;
      }
      lines.push(
        `| ${peer.name} | ${workload.id} | ${rate(s.mibPerSecond)} | ${rate(s.requestsPerSecond)} | ` +
          `${fixed(s.p99Ms, 1)} | ${fixed(s.peakRssBytes / 1e6)} | ${percent(s.cpu.server)} | ` +
          `${fixed(s.serverCpuMsPerRequest, s.serverCpuMsPerRequest < 10 ? 2 : 0)} | ` +
          `${percent(s.cpu.store)} | ${percent(s.cpu.client)} | ` +
          `${percent(s.cpu.clientCoreBusy)} / ${percent(s.cpu.serverCoreBusy)} | ` +
          `${limitOf(s.cpu, sharedClientCore)} | ${fixed(s.storePeakRssBytes / 1e6)} | ` +
          `${s.errors} | ${(s.spread * 100).toFixed(0)} % |`,
      );
    }
  }
  const direct = run.peers.find((peer) => peer.id === run.directId);
  lines.push(
    "",
    `| workload | ranked by | ${run.peers
      .filter((p) => p.id !== run.directId)
      .map((p) => `${p.name} ÷ ${direct?.name ?? run.directId}`)
      .join(
        " | ",
      )} | target (Reel) | met | CPU per request, ${direct?.name ?? run.directId} ÷ Reel |`,
    `|---|---|${run.peers
      .filter((p) => p.id !== run.directId)
      .map(() => "---")
      .join("|")}|---|---|---|`,
  );
  for (const workload of run.workloads) {
    const cells = run.peers
      .filter((p) => p.id !== run.directId)
      .map((p) => {
        const ratio = ratioToDirect(run.summaries, run.directId, workload.id, p.id);
        return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "n/a";
      });
    const reel = ratioToDirect(run.summaries, run.directId, workload.id);
    const hasTarget = TARGET_WORKLOADS.has(workload.id);
    const met = !hasTarget
      ? ""
      : Number.isFinite(reel)
        ? reel >= DIRECT_RATIO_TARGET
          ? "met"
          : "**not met**"
        : "n/a";
    const cost = cpuCostRatio(run.summaries, run.directId, workload.id);
    lines.push(
      `| ${workload.id} ${workload.title} | ${workload.metric} | ${cells.join(" | ")} | ` +
        `${hasTarget ? `≥ ${DIRECT_RATIO_TARGET.toFixed(1)}×` : ""} | ${met} | ` +
        `${Number.isFinite(cost) ? `${cost.toFixed(2)}×` : "n/a"} |`,
    );
  }
  return lines;
}

/** The markdown of the `object-store` section. */
export function renderObjectStore(run: StoreRun): string {
  const where =
    run.storeCpu === undefined
      ? "gateway daemons unpinned"
      : `gateway daemons (radosgw, ceph-osd, ceph-mon) on core ${run.storeCpu}`;
  const lines = [
    `## Object store (S3 from a Ceph RADOS Gateway)${run.isQuick ? " (quick smoke run — not a measurement)" : ""}`,
    "",
    `Command: \`${run.command}\` · ` +
      `${run.rounds} interleaved round(s) · ${run.warmupSeconds} s warm-up + ${run.durationSeconds} s per workload · ` +
      `server on core ${run.serverCpu}, wrk (1 thread) on core ${run.clientCpu}, ${where} · loopback.`,
    "",
    machineTable(run.system),
    `| object store | ${run.cephVersion}; 1 monitor, 1 memstore OSD, radosgw (beast${run.storeNoDelay ? ", restarted with tcp_nodelay=1" : ", Nagle on: --store-nagle"}); started in ${(run.gatewayStartMs / 1000).toFixed(1)} s, 64 MiB streamed PutObject in ${(run.uploadMs / 1000).toFixed(1)} s; daemons idle with the object: ${fixed(run.idleStoreRssBytes / 1e6)} MB RSS |`,
    "",
    "### Medians",
    "",
    ...renderStoreTables(run),
    "",
    "CPU columns: share of one core used during the timed run (user + system, all threads, " +
      "from /proc/<pid>/stat); the gateway is radosgw + ceph-osd + ceph-mon. Server CPU ms/req: " +
      "the server's CPU time per request, which other load on its core changes less than the " +
      "rates. Core busy: how busy the two cores were, by anyone (/proc/stat), other work on the " +
      "machine included. Limit: the party at ≥ 85 % of the core it may use" +
      (run.storeCpu === run.clientCpu
        ? " (the gateway and wrk share one core, so their sum counts and the larger is named)"
        : "") +
      "; wrk ⚠ = generator-bound, the cell says little about the server; † = the core was " +
      "≥ 95 % busy, mostly with other work, so the figure is what that work left over; — = no " +
      "core near full: the time goes to round trips to the store. Peak RSS as in the " +
      "comparison (VmHWM reset per workload; nginx: master + worker); gateway RSS likewise over " +
      "its three daemons. Spread = (max − min) / median of the ranked figure over the rounds. " +
      "The last column of the ratios divides the direct reader's server CPU per request by " +
      "Reel's: the ratio the two would reach if each had its core to itself and nothing else " +
      "limited them.",
    "",
    "### Byte-exactness (checked before timing)",
    "",
    ...verificationTable(run.peers, run.verifications),
  ];
  return lines.join("\n");
}
