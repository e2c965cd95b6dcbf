/**
 * The all-cores rows (issue #17): after the one-core comparison, Reel with `WORKERS=<cores>`
 * (`node:cluster`, one process per core sharing the port) against nginx with
 * `worker_processes auto`, W3 and W4, interleaved rounds. Nothing is pinned: the servers and wrk
 * share every core, as on a real host. wrk runs one thread per core so that the generator can
 * use every core too (one thread tops out near one core, which already bounds nginx on one
 * core); its CPU is metered and reported, since every cycle it takes is one the server lacks.
 */
import { cpus } from "node:os";
import type { Fixture } from "../fixture.js";
import { nginxAllCoresPeer } from "../peers/nginx.js";
import { reelPeer } from "../peers/reel.js";
import type { PeerDefinition } from "../peers/types.js";
import { type Sample, type Summary, summarise } from "../stats.js";
import type { Verification } from "../verify.js";
import type { Workload } from "../workloads.js";
import { type RoundsOptions, runRounds } from "./rounds.js";

/** The workloads the rows time, when selected: the small ranges, where per-request cost rules. */
const ALL_CORES_WORKLOADS = new Set<Workload["id"]>(["W3", "W4"]);

/** What the rows measured, for the comparison section. */
export interface AllCoresRun {
  cores: number;
  wrkThreads: number;
  workloads: Workload[];
  peers: PeerDefinition[];
  verifications: Map<string, Verification>;
  summaries: Summary[];
  samples: Sample[];
}

/** Settings of the rows, from the comparison's options. */
export interface AllCoresOptions extends Omit<RoundsOptions, "serverCpu" | "clientCpu"> {
  /** `--peers`: the rows run for Reel and nginx when selected. */
  peerIds: ReadonlySet<string>;
}

/** The two servers on every core: Reel as `cores` cluster processes, nginx one worker per core. */
export function allCoresPeers(cores: number, peerIds: ReadonlySet<string>): PeerDefinition[] {
  const reel: PeerDefinition = {
    id: "reel",
    name: `Reel (WORKERS=${cores})`,
    description: `${reelPeer.description}, WORKERS=${cores} (node:cluster)`,
    start: (options) =>
      reelPeer.start({ ...options, env: { ...options.env, WORKERS: String(cores) } }),
  };
  return [reel, nginxAllCoresPeer].filter((peer) => peerIds.has(peer.id));
}

/** Runs the rows; undefined when there is nothing to run (one core, or no W3/W4 or peer). */
export async function runAllCores(
  fixture: Fixture,
  options: AllCoresOptions,
): Promise<AllCoresRun | undefined> {
  const cores = cpus().length;
  const workloads = options.workloads.filter((workload) => ALL_CORES_WORKLOADS.has(workload.id));
  const peers = allCoresPeers(cores, options.peerIds);
  if (cores < 2 || workloads.length === 0 || peers.length === 0) {
    options.log("all cores: skipped (needs 2+ cores, W3 or W4, and reel or nginx)");
    return undefined;
  }
  options.log(`all cores: ${peers.map((peer) => peer.name).join(", ")}, wrk -t${cores}, unpinned`);
  const { verifications, samples } = await runRounds(
    peers.map((peer) => ({ id: peer.id, name: peer.name, peer })),
    fixture,
    { ...options, workloads, serverCpu: "all", clientCpu: "all", clientThreads: cores },
  );
  return {
    cores,
    wrkThreads: cores,
    workloads,
    peers,
    verifications,
    summaries: summarise(samples),
    samples,
  };
}
