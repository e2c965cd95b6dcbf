/** The default mode: every peer, every workload, interleaved rounds, medians and ratios. */
import type { Fixture } from "../fixture.js";
import type { Options } from "../options.js";
import { selectPeers } from "../peers/index.js";
import { writeComparison } from "../report.js";
import { summarise } from "../stats.js";
import { collectSystemInfo } from "../system-info.js";
import { runRounds } from "./rounds.js";

/** Runs the comparison and writes RESULTS.md (or bench/results/ with --quick). */
export async function runCompare(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const peers = selectPeers(options.peerIds);
  const started = new Date();
  const { verifications, samples } = await runRounds(
    peers.map((peer) => ({ id: peer.id, name: peer.name, peer })),
    fixture,
    { ...options, log },
  );
  const files = writeComparison({
    options,
    peers,
    verifications,
    summaries: summarise(samples),
    samples,
    system: collectSystemInfo(started),
  });
  log(`wrote ${files.join(", ")}`);
}
