/**
 * Interleaved rounds: every round starts each server afresh, in an order rotated per round, and
 * runs every workload on it. Interleaving spreads slow drifts of a shared machine (other load,
 * thermal state) over all servers instead of charging them to whichever ran last.
 */
import type { Fixture } from "../fixture.js";
import { measure } from "../measure.js";
import type { PeerDefinition } from "../peers/types.js";
import type { CpuSet } from "../processes.js";
import type { Sample } from "../stats.js";
import { isTimedOn, type Verification, verifyPeer } from "../verify.js";
import type { Workload } from "../workloads.js";

/** A server to time: a peer definition plus the environment it runs with. */
export interface Contestant {
  id: string;
  name: string;
  peer: PeerDefinition;
  env?: Record<string, string>;
}

/** Warm-up and timed seconds of one workload. */
export interface Timing {
  warmupSeconds: number;
  durationSeconds: number;
}

/** How long and where. */
export interface RoundsOptions {
  rounds: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Per-workload timing where it differs from the above (W404 in a quick run). */
  timingOf?: (workload: Workload) => Timing;
  /** Core of the server, or "all" (the all-cores rows). */
  serverCpu: CpuSet;
  /** Core of wrk, or "all". */
  clientCpu: CpuSet;
  /** wrk threads (default 1). */
  clientThreads?: number;
  workloads: Workload[];
  log: (line: string) => void;
  /** The backing store's processes, metered (CPU, RSS) beside the server's. */
  storePids?: () => number[];
}

/** Verifications (from the first start of each server) and every sample. */
export interface RoundsResult {
  verifications: Map<string, Verification>;
  samples: Sample[];
}

/** Runs `options.rounds` interleaved rounds over `contestants`. */
export async function runRounds(
  contestants: Contestant[],
  fixture: Fixture,
  options: RoundsOptions,
): Promise<RoundsResult> {
  const verifications = new Map<string, Verification>();
  const samples: Sample[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order = rotate(contestants, round);
    for (const contestant of order) {
      if (verifications.get(contestant.id)?.isRankable === false) {
        continue; // a wrong server is marked, not timed
      }
      options.log(`round ${round + 1}/${options.rounds}: ${contestant.name}`);
      const running = await contestant.peer.start({
        dir: fixture.dir,
        cpu: options.serverCpu,
        scratch: fixture.scratch,
        ...(contestant.env ? { env: contestant.env } : {}),
      });
      try {
        if (!verifications.has(contestant.id)) {
          const verification = await verifyPeer(
            running,
            fixture,
            options.workloads.map((workload) => workload.id),
          );
          verifications.set(contestant.id, verification);
          for (const check of verification.checks.filter((c) => !c.ok)) {
            options.log(
              `  ✗ ${check.name}: ${check.problem ?? ""}` +
                (check.core ? " (core: not timed)" : "") +
                (check.gates === undefined ? "" : ` (${check.gates} not timed)`),
            );
          }
          if (!verification.isRankable) {
            continue;
          }
        }
        for (const workload of options.workloads) {
          const verification = verifications.get(contestant.id);
          if (verification !== undefined && !isTimedOn(verification, workload.id)) {
            continue; // e.g. no 404 for a missing file: W404 would time something else
          }
          const sample = await measure(running, contestant.id, workload, round, {
            ...(options.timingOf?.(workload) ?? {
              warmupSeconds: options.warmupSeconds,
              durationSeconds: options.durationSeconds,
            }),
            clientCpu: options.clientCpu,
            ...(options.clientThreads === undefined
              ? {}
              : { clientThreads: options.clientThreads }),
            serverCpu: options.serverCpu,
            fileSize: fixture.size,
            filename: fixture.filename,
            ...(options.storePids === undefined ? {} : { storePids: options.storePids }),
          });
          samples.push(sample);
          options.log(`  ${workload.id} ${describeSample(sample, workload)}`);
        }
      } finally {
        await running.stop();
      }
    }
  }
  return { verifications, samples };
}

/** One sample as a log line: rate, p99, peak RSS, CPU of the server and of wrk. */
function describeSample(sample: Sample, workload: Workload): string {
  const cpu =
    sample.cpu === undefined
      ? ""
      : `, CPU server ${(sample.cpu.server * 100).toFixed(0)} % wrk ${(sample.cpu.client * 100).toFixed(0)} %`;
  return (
    `${sample.value.toFixed(1)} ${workload.metric} p99 ${sample.p99Ms.toFixed(1)} ms, ` +
    `peak RSS ${(sample.peakRssBytes / 2 ** 20).toFixed(0)} MiB${cpu}` +
    (sample.errors > 0 ? `, ${sample.errors} errors` : "")
  );
}

function rotate<T>(items: T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
