/**
 * Server memory and descriptors from /proc. Peak RSS per workload: the kernel's high-water mark
 * (VmHWM) is reset before the workload by writing 5 to /proc/<pid>/clear_refs, and VmRSS is also
 * polled every 100 ms as a fallback where the reset is not allowed; the larger figure wins. For a
 * server of several processes (nginx) the per-process peaks are summed: an upper bound.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const POLL_MS = 100;

/** Resident set size of `pid` in bytes (VmRSS), or 0 when it is gone. */
export function readRss(pid: number): number {
  return readStatusKb(pid, "VmRSS") * 1024;
}

/** Number of open descriptors of `pid` (entries in /proc/<pid>/fd). */
export function countFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** Tracks the peak RSS of a server's processes between `start()` and `stop()`. */
export class PeakRssSampler {
  private readonly peaks = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: () => number[]) {}

  /** Resets the kernel's high-water marks and starts polling. */
  start(): void {
    for (const pid of this.pids()) {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, "5"); // 5 = reset VmHWM (proc(5))
      } catch {
        // Not permitted here: polling VmRSS still gives a (slightly lower) peak.
      }
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), POLL_MS);
  }

  /** Stops polling; returns the summed peak over all processes, in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    for (const pid of this.pids()) {
      const hwm = readStatusKb(pid, "VmHWM") * 1024;
      this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, hwm));
    }
    let total = 0;
    for (const peak of this.peaks.values()) {
      total += peak;
    }
    return total;
  }

  private sample(): void {
    for (const pid of this.pids()) {
      this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, readRss(pid)));
    }
  }
}

function readStatusKb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
