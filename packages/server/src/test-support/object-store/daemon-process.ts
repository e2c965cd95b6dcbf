/**
 * Finds and stops background daemons by their pid files. A daemon is only ever signalled when
 * its command line still names our config file, so a pid reused by another process after the
 * daemon died is left alone.
 */
import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

/** Pause between two looks at whether a process is gone, in milliseconds. */
const EXIT_POLL_MS = 20;

/** The pid written in `pidFile`, or `undefined` when there is none (yet). */
export function readPidFile(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True while `pid` runs with `confPath` among its arguments. A zombie counts as gone: the
 * daemons are orphans reaped by pid 1, which in a container may reap late or never.
 */
export function isDaemonRunning(pid: number, confPath: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state …": comm may hold spaces and parentheses, so read after the last ")".
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") {
      return false;
    }
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(confPath);
  } catch {
    return false;
  }
}

/** The pid in `pidFile` if that process is one of ours and still running. */
export function runningDaemonPid(pidFile: string, confPath: string): number | undefined {
  const pid = readPidFile(pidFile);
  return pid !== undefined && isDaemonRunning(pid, confPath) ? pid : undefined;
}

async function waitForExit(pid: number, confPath: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isDaemonRunning(pid, confPath)) {
    if (Date.now() > deadline) {
      return false;
    }
    await delay(EXIT_POLL_MS);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * Stops the daemon whose pid is in `pidFile`: SIGTERM, then SIGKILL if it is still running after
 * `graceMs`. Resolves once it is gone (at once when it was not running). Throws `Error` if even
 * SIGKILL does not end it within 10 s.
 */
export async function stopDaemon(
  pidFile: string,
  confPath: string,
  graceMs: number,
): Promise<void> {
  const pid = runningDaemonPid(pidFile, confPath);
  if (pid === undefined) {
    return;
  }
  signal(pid, "SIGTERM");
  if (await waitForExit(pid, confPath, graceMs)) {
    return;
  }
  signal(pid, "SIGKILL");
  if (!(await waitForExit(pid, confPath, 10_000))) {
    throw new Error(`Process ${pid} (${pidFile}) survived SIGKILL`);
  }
}

/** SIGKILLs every running daemon of ours among `pidFiles`, synchronously (for exit handlers). */
export function killDaemonsNow(pidFiles: string[], confPath: string): void {
  for (const pidFile of pidFiles) {
    const pid = runningDaemonPid(pidFile, confPath);
    if (pid !== undefined) {
      signal(pid, "SIGKILL");
    }
  }
}
