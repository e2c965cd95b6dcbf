/**
 * CPU time of processes from /proc/<pid>/stat (user + system, every thread included), to tell
 * which party limits a workload: the server, the load generator, or the object store's daemons.
 * Shares are of one core: 1.0 = one core busy for the whole run.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const POLL_MS = 100;

/** Clock ticks per second of the times in /proc (`getconf CLK_TCK`; 100 on Linux). */
const TICKS_PER_SECOND = readTicksPerSecond();

/** User + system CPU seconds `pid` has used so far, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    return parseCpuTicks(readFileSync(`/proc/${pid}/stat`, "utf8")) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15) of one /proc/<pid>/stat line, in clock ticks. */
export function parseCpuTicks(stat: string): number {
  // "pid (comm) state …": comm may hold spaces and parentheses, so count after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the comm, field 3 (state) is index 0, so fields 14 and 15 are at 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`unexpected /proc stat line: ${stat.slice(0, 120)}`);
  }
  return utime + stime;
}

/**
 * CPU used by a changing set of processes between `start()` and `stop()`. Each pid's latest
 * reading is kept from a 100 ms poll, so a process that exits in between (wrk) still counts up
 * to its last poll; one that starts in between counts from zero (its whole life).
 */
export class CpuMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;

  constructor(private readonly pids: () => number[]) {}

  /** Takes the first readings and starts polling. */
  start(): void {
    this.startedAt = performance.now();
    for (const pid of this.pids()) {
      const seconds = cpuSeconds(pid);
      if (seconds !== undefined) {
        this.first.set(pid, seconds);
        this.last.set(pid, seconds);
      }
    }
    this.timer = setInterval(() => this.sample(), POLL_MS);
  }

  /** Stops polling; returns the CPU used as a share of one core over the elapsed time. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    const elapsed = (performance.now() - this.startedAt) / 1000;
    let used = 0;
    for (const [pid, seconds] of this.last) {
      used += seconds - (this.first.get(pid) ?? 0);
    }
    return elapsed > 0 ? used / elapsed : 0;
  }

  private sample(): void {
    for (const pid of this.pids()) {
      const seconds = cpuSeconds(pid);
      if (seconds === undefined) {
        continue; // gone: its last reading stands
      }
      if (!this.first.has(pid)) {
        this.first.set(pid, 0); // started after start(): all of its time is inside the window
      }
      this.last.set(pid, seconds);
    }
  }
}

/**
 * How busy each core was between `start()` and `stop()`, from /proc/stat, whoever kept it busy:
 * a core at ~100 % while our process on it used 30 % was shared with other work.
 */
export class CoreMeter {
  private first: Map<number, CoreTimes> = new Map();

  /** Takes the first reading. */
  start(): void {
    this.first = readCoreTimes(readFileSync("/proc/stat", "utf8"));
  }

  /** Busy share (0–1) per core index since `start()`. */
  stop(): Map<number, number> {
    return busyShares(this.first, readCoreTimes(readFileSync("/proc/stat", "utf8")));
  }
}

/** Busy and total clock ticks of one core. */
export interface CoreTimes {
  busy: number;
  total: number;
}

/**
 * Per-core times from the text of /proc/stat: busy = everything but idle and iowait (steal
 * counts as busy: the hypervisor gave the time to someone else).
 */
export function readCoreTimes(procStat: string): Map<number, CoreTimes> {
  const cores = new Map<number, CoreTimes>();
  for (const line of procStat.split("\n")) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (match === null) {
      continue;
    }
    const ticks = (match[2] ?? "").trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    cores.set(Number(match[1]), { busy: total - idle, total });
  }
  return cores;
}

/** The mean busy share over every core (0–1): how busy the whole machine was. */
export function meanBusy(shares: Map<number, number>): number {
  const values = [...shares.values()];
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Busy share per core between two readings. */
export function busyShares(
  before: Map<number, CoreTimes>,
  after: Map<number, CoreTimes>,
): Map<number, number> {
  const shares = new Map<number, number>();
  for (const [core, end] of after) {
    const begin = before.get(core);
    if (begin === undefined) {
      continue;
    }
    const total = end.total - begin.total;
    shares.set(core, total > 0 ? (end.busy - begin.busy) / total : 0);
  }
  return shares;
}

function readTicksPerSecond(): number {
  const result = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const value = Number(result.stdout?.trim());
  return Number.isFinite(value) && value > 0 ? value : 100;
}
