/**
 * The child processes of a server, from /proc/<pid>/task/<tid>/children (Linux ≥ 3.5): Reel's
 * ffmpeg and ffprobe runs, whose CPU the extras rows meter beside Reel's own. One small file per
 * thread instead of a scan of all of /proc, because the poll shares wrk's core.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Pids listed in one `children` file ("123 456 "). */
export function parseChildPids(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((field) => /^\d+$/.test(field))
    .map(Number);
}

/** The direct children of `pid` now (any thread may have forked them); [] when it is gone. */
export function childPidsOf(pid: number): number[] {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const pids = new Set<number>();
  for (const tid of threads) {
    try {
      for (const child of parseChildPids(
        readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8"),
      )) {
        pids.add(child);
      }
    } catch {
      // the thread ended meanwhile
    }
  }
  return [...pids];
}
