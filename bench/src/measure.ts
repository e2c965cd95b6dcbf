/** One workload against one running server: warm-up, then the timed wrk run with peak RSS. */
import { PeakRssSampler } from "./memory.js";
import type { RunningPeer } from "./peers/types.js";
import type { Sample } from "./stats.js";
import type { Workload } from "./workloads.js";
import { runWrk } from "./wrk.js";

/** Durations and cores of a measurement. */
export interface MeasureOptions {
  warmupSeconds: number;
  durationSeconds: number;
  /** Core wrk is pinned to (the server has the other one). */
  clientCpu: number;
  fileSize: number;
  filename: string;
}

/** Warms `peer` up with the same workload, then times it; returns one sample. */
export async function measure(
  peer: RunningPeer,
  peerId: string,
  workload: Workload,
  round: number,
  options: MeasureOptions,
): Promise<Sample> {
  const wrkOptions = {
    url: `http://127.0.0.1:${peer.port}${peer.urlFor(options.filename)}`,
    connections: workload.connections,
    fileSize: options.fileSize,
    rangeLength: workload.rangeLength,
    cpu: options.clientCpu,
  };
  if (options.warmupSeconds > 0) {
    await runWrk({ ...wrkOptions, durationSeconds: options.warmupSeconds });
  }
  const sampler = new PeakRssSampler(peer.pids);
  sampler.start();
  let peakRssBytes = 0;
  let result: Awaited<ReturnType<typeof runWrk>>;
  try {
    result = await runWrk({ ...wrkOptions, durationSeconds: options.durationSeconds });
  } finally {
    peakRssBytes = sampler.stop(); // also when wrk failed, so the polling timer never leaks
  }
  return {
    peerId,
    workload: workload.id,
    round,
    value: workload.metric === "MiB/s" ? result.mibPerSecond : result.requestsPerSecond,
    requestsPerSecond: result.requestsPerSecond,
    p99Ms: result.latencyUs.p99 / 1000,
    peakRssBytes,
    errors: result.errorCount,
  };
}
