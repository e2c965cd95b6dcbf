/**
 * Runs h2load (Debian's nghttp2-client) pinned to the client core and parses its summary: the
 * HTTP/2 counterpart of wrk.ts. h2load sends one header set for every request, so a run asks for
 * one fixed range; it reports latency as min/mean/max only (no percentiles).
 */
import { spawnManaged } from "./processes.js";

/** Debian's h2load binary. */
export const H2LOAD_BIN = "/usr/bin/h2load";

/** One h2load invocation. */
export interface H2loadOptions {
  /** `https://127.0.0.1:<port>/api/video/<name>`. */
  url: string;
  /** `h2`: HTTP/2 streams; `http/1.1`: one request at a time per connection (`--h1`). */
  protocol: "h2" | "http/1.1";
  /** TCP connections (h2load "clients"). */
  connections: number;
  /** Requests in flight per connection (HTTP/2 streams); 1 for HTTP/1.1. */
  streams: number;
  durationSeconds: number;
  /** Sent with every request, e.g. `bytes=1000-10999`. */
  range: string;
  cpu: number;
}

/** What one run measured. */
export interface H2loadResult {
  /** The protocol ALPN actually picked (checked against the one asked for). */
  protocol: string;
  requestsPerSecond: number;
  succeeded: number;
  /** failed + errored + timed out + non-2xx answers. */
  errors: number;
  meanLatencyMs: number;
  maxLatencyMs: number;
}

/** Runs h2load once; throws if it fails, prints no summary, or spoke another protocol. */
export async function runH2load(options: H2loadOptions): Promise<H2loadResult> {
  const args = [
    "-t1", // one thread on one core, as wrk
    `-c${options.connections}`,
    `-m${options.streams}`,
    `-D${options.durationSeconds}`,
    "-H",
    `Range: ${options.range}`,
    ...(options.protocol === "http/1.1" ? ["--h1"] : []),
    options.url,
  ];
  const managed = spawnManaged(H2LOAD_BIN, args, { cpu: options.cpu });
  const code = await managed.exited;
  const output = managed.output();
  if (code !== 0) {
    throw new Error(`h2load failed (exit ${code}) against ${options.url}:\n${output}`);
  }
  const result = parseH2load(output);
  if (result.protocol !== options.protocol) {
    throw new Error(`h2load spoke ${result.protocol}, not ${options.protocol}:\n${output}`);
  }
  return result;
}

/** Reads h2load's text summary; throws when a line it needs is missing. */
export function parseH2load(output: string): H2loadResult {
  const protocol = /^Application protocol: (\S+)/m.exec(output)?.[1];
  const rate = /^finished in [\d.]+m?s, ([\d.]+) req\/s/m.exec(output)?.[1];
  const requests =
    /^requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m.exec(
      output,
    );
  const codes = /^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m.exec(output);
  const latency = /^time for request:\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(output);
  if (
    protocol === undefined ||
    rate === undefined ||
    requests === null ||
    codes === null ||
    latency === null
  ) {
    throw new Error(`unexpected h2load output:\n${output}`);
  }
  const [, succeeded, failed, errored, timeout] = requests.map(Number);
  const [, , c3xx, c4xx, c5xx] = codes.map(Number);
  return {
    protocol,
    requestsPerSecond: Number(rate),
    succeeded: succeeded ?? 0,
    errors:
      (failed ?? 0) + (errored ?? 0) + (timeout ?? 0) + (c3xx ?? 0) + (c4xx ?? 0) + (c5xx ?? 0),
    meanLatencyMs: toMs(latency[3] ?? ""), // columns: min, max, mean
    maxLatencyMs: toMs(latency[2] ?? ""),
  };
}

/** h2load's durations: `923us`, `14.06ms`, `1.2s`. */
export function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (match === null) {
    throw new Error(`unexpected h2load duration: ${text}`);
  }
  const value = Number(match[1]);
  return match[2] === "us" ? value / 1000 : match[2] === "ms" ? value : value * 1000;
}
