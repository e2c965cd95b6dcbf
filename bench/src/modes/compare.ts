/** The default mode: every peer, every workload, interleaved rounds, medians and ratios. */
import type { Fixture } from "../fixture.js";
import type { Options } from "../options.js";
import { selectPeers } from "../peers/index.js";
import { writeComparison } from "../report.js";
import { summarise } from "../stats.js";
import { collectSystemInfo } from "../system-info.js";
import type { Workload } from "../workloads.js";
import { runAllCores } from "./all-cores.js";
import { runExtrasAfterComparison } from "./extras.js";
import { runHttp2 } from "./http2.js";
import { runObjectStoreAfterComparison } from "./object-store.js";
import { runRounds, type Timing } from "./rounds.js";

/**
 * Runs the comparison on one core each (W404 briefly with --quick), then the all-cores rows
 * (modes/all-cores.ts), and writes both to RESULTS.md (or bench/results/ with --quick); then
 * the HTTP/2 rows for W3 (modes/http2.ts), the object-store rows (modes/object-store.ts) and the
 * extras rows (modes/extras.ts) into their own sections.
 */
export async function runCompare(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const peers = selectPeers(options.peerIds);
  const started = new Date();
  const timingOf = (workload: Workload): Timing =>
    workload.expectedStatus === undefined
      ? { warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds }
      : {
          warmupSeconds: options.briefWarmupSeconds,
          durationSeconds: options.briefDurationSeconds,
        };
  const { verifications, samples } = await runRounds(
    peers.map((peer) => ({ id: peer.id, name: peer.name, peer })),
    fixture,
    { ...options, timingOf, log },
  );
  const allCores = await runAllCores(fixture, {
    ...options,
    warmupSeconds: options.briefWarmupSeconds,
    durationSeconds: options.briefDurationSeconds,
    peerIds: new Set(peers.map((peer) => peer.id)),
    log,
  });
  const files = writeComparison({
    options,
    peers,
    verifications,
    summaries: summarise(samples),
    samples,
    ...(allCores === undefined ? {} : { allCores }),
    system: collectSystemInfo(started),
  });
  log(`wrote ${files.join(", ")}`);
  await runHttp2(options, fixture, log);
  await runObjectStoreAfterComparison(options, fixture, log);
  await runExtrasAfterComparison(options, fixture, log);
}
