/** One workload against one running server: warm-up, then the timed wrk run with peak RSS. */
import { CoreMeter, CpuMeter, meanBusy } from "./cpu.js";
import { PeakRssSampler } from "./memory.js";
import type { RunningPeer } from "./peers/types.js";
import type { CpuSet } from "./processes.js";
import type { Sample } from "./stats.js";
import { requestedFile, type Workload } from "./workloads.js";
import { runWrk } from "./wrk.js";

/** Durations and cores of a measurement. */
export interface MeasureOptions {
  warmupSeconds: number;
  durationSeconds: number;
  /** Core wrk is pinned to (the server has the other one), or "all". */
  clientCpu: CpuSet;
  /** wrk threads (default 1; the all-cores rows use one per core). */
  clientThreads?: number;
  /** Core the server is pinned to, or "all". */
  serverCpu?: CpuSet;
  fileSize: number;
  filename: string;
  /** Processes of a backing store whose CPU is metered too (the object store's daemons). */
  storePids?: () => number[];
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
    url: `http://127.0.0.1:${peer.port}${peer.urlFor(requestedFile(workload, options.filename))}`,
    connections: workload.connections,
    fileSize: options.fileSize,
    rangeLength: workload.rangeLength,
    cpu: options.clientCpu,
    ...(options.clientThreads === undefined ? {} : { threads: options.clientThreads }),
    ...(workload.expectedStatus === undefined ? {} : { expectedStatus: workload.expectedStatus }),
  };
  if (options.warmupSeconds > 0) {
    await runWrk({ ...wrkOptions, durationSeconds: options.warmupSeconds });
  }
  const sampler = new PeakRssSampler(peer.pids);
  const storeSampler =
    options.storePids === undefined ? undefined : new PeakRssSampler(options.storePids);
  let wrkPid: number | undefined;
  const meters = {
    server: new CpuMeter(peer.pids),
    client: new CpuMeter(() => (wrkPid === undefined ? [] : [wrkPid])),
    store: options.storePids === undefined ? undefined : new CpuMeter(options.storePids),
    cores: new CoreMeter(),
  };
  sampler.start();
  storeSampler?.start();
  meters.server.start();
  meters.client.start();
  meters.store?.start();
  meters.cores.start();
  let peakRssBytes = 0;
  let storePeakRssBytes: number | undefined;
  let result: Awaited<ReturnType<typeof runWrk>>;
  let cpu: NonNullable<Sample["cpu"]>;
  try {
    result = await runWrk({
      ...wrkOptions,
      durationSeconds: options.durationSeconds,
      onStart: (pid) => {
        wrkPid = pid;
      },
    });
  } finally {
    // Also when wrk failed, so no polling timer ever leaks.
    peakRssBytes = sampler.stop();
    storePeakRssBytes = storeSampler?.stop();
    const store = meters.store?.stop();
    const cores = meters.cores.stop();
    // A core's busy share only means something for a party pinned to that core alone.
    const serverCoreBusy =
      typeof options.serverCpu === "number" ? cores.get(options.serverCpu) : undefined;
    const clientCoreBusy =
      typeof options.clientCpu === "number" ? cores.get(options.clientCpu) : undefined;
    cpu = {
      server: meters.server.stop(),
      client: meters.client.stop(),
      clientThreads: options.clientThreads ?? 1,
      allCoresBusy: meanBusy(cores),
      ...(store === undefined ? {} : { store }),
      ...(serverCoreBusy === undefined ? {} : { serverCoreBusy }),
      ...(clientCoreBusy === undefined ? {} : { clientCoreBusy }),
    };
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
    mibPerSecond: result.mibPerSecond,
    cpu,
    ...(storePeakRssBytes === undefined ? {} : { storePeakRssBytes }),
  };
}
