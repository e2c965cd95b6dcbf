/** The four timed workloads (issue #7) and the file they read. */

/** Size of the benchmark file: 64 MiB. */
export const FILE_SIZE = 64 * 1024 * 1024;
/** Name of the benchmark file in the served directory. */
export const FILE_NAME = "bench-64mib.mp4";

/** One wrk configuration. */
export interface Workload {
  id: "W1" | "W2" | "W3" | "W4";
  title: string;
  connections: number;
  /** Bytes per random Range request; 0 = whole file, no Range header. */
  rangeLength: number;
  /** The figure the workload is ranked by. */
  metric: "MiB/s" | "req/s";
}

/** W1–W4 as specified: whole file, 1 MiB ranges, 10 KB ranges at 64 and 256 connections. */
export const WORKLOADS: Workload[] = [
  { id: "W1", title: "whole 64 MiB file", connections: 4, rangeLength: 0, metric: "MiB/s" },
  {
    id: "W2",
    title: "random 1 MiB ranges",
    connections: 32,
    rangeLength: 1024 * 1024,
    metric: "req/s",
  },
  { id: "W3", title: "random 10 KB ranges", connections: 64, rangeLength: 10_000, metric: "req/s" },
  {
    id: "W4",
    title: "random 10 KB ranges",
    connections: 256,
    rangeLength: 10_000,
    metric: "req/s",
  },
];

/** The workload with `id`. */
export function workloadById(id: Workload["id"]): Workload {
  const found = WORKLOADS.find((workload) => workload.id === id);
  if (found === undefined) {
    throw new Error(`no workload ${id}`);
  }
  return found;
}
