/** Runs wrk (Debian's, LuaJIT) pinned to its own core and parses the Lua `done()` summary. */
import { fileURLToPath } from "node:url";
import { type CpuSet, spawnManaged } from "./processes.js";

/** Debian's wrk binary. */
export const WRK_BIN = "/usr/bin/wrk";
const SCRIPT = fileURLToPath(new URL("../lua/range.lua", import.meta.url));
const MARKER = "BENCH_JSON ";

/** What `lua/range.lua` prints from `done()`. */
export interface WrkSummary {
  requests: number;
  bytes: number;
  durationUs: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
}

/** A summary plus the derived rates. */
export interface WrkResult extends WrkSummary {
  requestsPerSecond: number;
  mibPerSecond: number;
  /** Failed requests: every error wrk counts, less the answers `expectedStatus` asked for. */
  errorCount: number;
}

/** One wrk invocation. */
export interface WrkOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  fileSize: number;
  /** Bytes per random range; 0 = whole file. */
  rangeLength: number;
  /** Core wrk is pinned to, or "all" (the all-cores rows). */
  cpu: CpuSet;
  /** wrk threads (default 1: one per core wrk may use). */
  threads?: number;
  /** The status the workload asks for when not 2xx (W404): those answers are no errors. */
  expectedStatus?: number;
  /** Pause in ms before each request on a connection (the soak's pacing); 0 = none. */
  delayMs?: number;
  /** Called with wrk's pid once it runs (to meter its CPU: is the load generator the limit?). */
  onStart?: (pid: number) => void;
}

/** Runs wrk once and returns its summary; throws if wrk fails or prints no summary. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = [
    // One thread per core wrk may use: pinned to one core, more threads would only contend.
    `-t${options.threads ?? 1}`,
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    "--timeout",
    "10s",
    "-s",
    SCRIPT,
    options.url,
    "--",
    String(options.fileSize),
    String(options.rangeLength),
  ];
  const managed = spawnManaged(WRK_BIN, args, {
    cpu: options.cpu,
    env: { ...process.env, BENCH_DELAY_MS: String(Math.round(options.delayMs ?? 0)) },
  });
  options.onStart?.(managed.pid);
  const code = await managed.exited;
  const output = managed.output();
  const line = output.split("\n").find((text) => text.startsWith(MARKER));
  if (code !== 0 || line === undefined) {
    throw new Error(`wrk failed (exit ${code}) against ${options.url}:\n${output}`);
  }
  return withRates(parseSummary(line.slice(MARKER.length)), options.expectedStatus);
}

/** Parses and shape-checks the JSON line printed by the Lua script. */
export function parseSummary(json: string): WrkSummary {
  const value: unknown = JSON.parse(json);
  if (!isSummary(value)) {
    throw new Error(`unexpected wrk summary: ${json}`);
  }
  return value;
}

/**
 * Adds req/s, MiB/s and the error count. With an `expectedStatus` ≥ 400 (W404) the roles of
 * `errors.status` turn around: wrk counts every answer ≥ 400 there, and every answer is counted
 * in `requests`, so the failures are the answers below 400 (`requests − status`). wrk cannot
 * tell a 404 from a 500; the verification before timing checks that the server answers 404.
 */
export function withRates(summary: WrkSummary, expectedStatus?: number): WrkResult {
  const seconds = summary.durationUs / 1e6;
  const { connect, read, write, status, timeout } = summary.errors;
  const badStatus =
    expectedStatus !== undefined && expectedStatus >= 400
      ? Math.max(summary.requests - status, 0)
      : status;
  return {
    ...summary,
    requestsPerSecond: summary.requests / seconds,
    mibPerSecond: summary.bytes / seconds / (1024 * 1024),
    errorCount: connect + read + write + badStatus + timeout,
  };
}

function isSummary(value: unknown): value is WrkSummary {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>; // narrowed field by field below
  return (
    typeof record.requests === "number" &&
    typeof record.bytes === "number" &&
    typeof record.durationUs === "number" &&
    typeof record.errors === "object" &&
    record.errors !== null &&
    typeof record.latencyUs === "object" &&
    record.latencyUs !== null
  );
}
