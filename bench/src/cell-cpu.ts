/**
 * CPU figures of one cell (server × workload over its rounds) and the rule that marks a cell as
 * bounded by the load generator rather than by the server (issue #17: "mark any cell where the
 * generator's core is above 90 %").
 */
import { median, type Sample } from "./stats.js";

/** A generator busier than this share had no time left to send more: the cell is its limit. */
export const GENERATOR_BUSY_LIMIT = 0.9;

/** The mark of a generator-bound cell. */
export const GENERATOR_BOUND_MARK = "⚑ generator-bound";

/** Medians over the rounds; shares of one core (1.0 = one core busy for the whole run). */
export interface CellCpu {
  /** The server's processes summed (nginx master + workers, Reel and its cluster workers). */
  server: number;
  /** wrk's process, all its threads. */
  client: number;
  /** wrk's threads (1 when pinned to its own core; one per core in the all-cores rows). */
  clientThreads: number;
  /** How busy wrk's core was, by anyone; undefined when wrk was not pinned. */
  clientCoreBusy: number | undefined;
  /** How busy the server's core was, by anyone; undefined when the server was not pinned. */
  serverCoreBusy: number | undefined;
  /** Mean busy share over every core, by anyone. */
  allCoresBusy: number | undefined;
  /** The server's CPU time per request, in µs: its cost, whatever share of a core it got. */
  serverUsPerRequest: number;
}

/** Medians of the CPU figures of one cell's samples; undefined when none was metered. */
export function summariseCpu(samples: Sample[]): CellCpu | undefined {
  const metered = samples.flatMap((sample) =>
    sample.cpu === undefined ? [] : [{ cpu: sample.cpu, rate: sample.requestsPerSecond }],
  );
  if (metered.length === 0) {
    return undefined;
  }
  const of = (pick: (one: (typeof metered)[number]) => number | undefined) => {
    const values = metered.map(pick).filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : median(values);
  };
  return {
    server: of((one) => one.cpu.server) ?? Number.NaN,
    client: of((one) => one.cpu.client) ?? Number.NaN,
    clientThreads: of((one) => one.cpu.clientThreads ?? 1) ?? 1,
    clientCoreBusy: of((one) => one.cpu.clientCoreBusy),
    serverCoreBusy: of((one) => one.cpu.serverCoreBusy),
    allCoresBusy: of((one) => one.cpu.allCoresBusy),
    serverUsPerRequest:
      of((one) => (one.rate > 0 ? (one.cpu.server / one.rate) * 1e6 : undefined)) ?? Number.NaN,
  };
}

/**
 * How busy the load generator was (0–1): with wrk pinned, its core's busy share from /proc/stat
 * (wrk, the benchmark's own polling and any other work there: all of it is time wrk could not
 * use); unpinned (all cores), wrk's own CPU per thread, since its threads share the cores with
 * the server and no core is the generator's.
 */
export function generatorBusy(cpu: CellCpu): number {
  return cpu.clientCoreBusy ?? cpu.client / Math.max(cpu.clientThreads, 1);
}

/** True when the cell measured the load generator's limit rather than the server's. */
export function isGeneratorBound(cpu: CellCpu | undefined): boolean {
  return cpu !== undefined && generatorBusy(cpu) > GENERATOR_BUSY_LIMIT;
}

/**
 * Who filled a generator-bound cell's generator core: "wrk" when wrk itself used at least half
 * of the core's busy time, else "other work" (a shared machine: wrk could not get the core);
 * undefined when the cell is not generator-bound.
 */
export function generatorBoundBy(cpu: CellCpu | undefined): "wrk" | "other work" | undefined {
  if (cpu === undefined || !isGeneratorBound(cpu)) {
    return undefined;
  }
  const perThread = cpu.client / Math.max(cpu.clientThreads, 1);
  return perThread >= generatorBusy(cpu) / 2 ? "wrk" : "other work";
}

/** "⚑ generator-bound", with † when other work rather than wrk filled the generator's core. */
export function generatorMark(cpu: CellCpu | undefined): string {
  const by = generatorBoundBy(cpu);
  if (by === undefined) {
    return "";
  }
  return by === "wrk" ? GENERATOR_BOUND_MARK : `${GENERATOR_BOUND_MARK}†`;
}
