// A browser and every helper process it forks (zygote, renderers, GPU and utility processes)
// share one process group when the browser is spawned `detached`. Stopping the whole group, and
// waiting until none of it is left, is what makes removing the browser's profile afterwards
// safe: a helper still running would write into the directory being removed (ENOTEMPTY).
import type { ChildProcess } from "node:child_process";

/** How often to look whether the group is gone (ms). */
const POLL_MS = 50;

/** Whether any process of group `pgid` is still alive (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Stops `child` and every process in its group: SIGTERM, then SIGKILL for what is left after
 * `graceMs`, then waits until the group is empty. `child` must have been spawned with
 * `detached: true`, which makes its pid the group id.
 *
 * @throws Error when the group outlives SIGKILL by `killWaitMs` (a process stuck in the kernel).
 */
export async function stopProcessGroup(
  child: ChildProcess,
  graceMs = 5000,
  killWaitMs = 30_000,
): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) {
    return;
  }
  signalGroup(pgid, "SIGTERM");
  const termDeadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < termDeadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  signalGroup(pgid, "SIGKILL");
  const killDeadline = Date.now() + killWaitMs;
  while (groupAlive(pgid)) {
    if (Date.now() > killDeadline) {
      throw new Error(`process group ${pgid} still alive ${killWaitMs} ms after SIGKILL`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
