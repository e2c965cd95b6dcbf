/** The timed workloads (W1–W4 from issue #7, W404 from issue #17) and the file they read. */

/** Size of the benchmark file: 64 MiB. */
export const FILE_SIZE = 64 * 1024 * 1024;
/** Name of the benchmark file in the served directory. */
export const FILE_NAME = "bench-64mib.mp4";

/** A name no server has: W404 asks for it. */
export const MISSING_FILE_NAME = "missing-bench.mp4";

/** One wrk configuration. */
export interface Workload {
  id: "W1" | "W2" | "W3" | "W4" | "W404";
  title: string;
  connections: number;
  /** Bytes per random Range request; 0 = whole file, no Range header. */
  rangeLength: number;
  /** The figure the workload is ranked by. */
  metric: "MiB/s" | "req/s";
  /**
   * The status every answer must have when it is not a 2xx: W404 asks for a missing file, so its
   * 404s are the work, not errors (wrk counts every status ≥ 400 as `errors.status`).
   */
  expectedStatus?: 404;
}

/**
 * W1–W4 as specified: whole file, 1 MiB ranges, 10 KB ranges at 64 and 256 connections; then
 * W404, a GET of a missing file at 64 connections: the per-request cost with no bytes to send.
 */
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
  {
    id: "W404",
    title: "missing file (404)",
    connections: 64,
    rangeLength: 0,
    metric: "req/s",
    expectedStatus: 404,
  },
];

/** The file name `workload` asks for: the missing one for W404, else the fixture's. */
export function requestedFile(workload: Workload, fixtureName: string): string {
  return workload.expectedStatus === 404 ? MISSING_FILE_NAME : fixtureName;
}

/** The workload with `id`. */
export function workloadById(id: Workload["id"]): Workload {
  const found = WORKLOADS.find((workload) => workload.id === id);
  if (found === undefined) {
    throw new Error(`no workload ${id}`);
  }
  return found;
}
