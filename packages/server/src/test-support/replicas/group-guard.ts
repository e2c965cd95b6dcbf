/**
 * Makes sure the process groups a replica set started (each replica, nginx with its worker) do
 * not outlive the process that started them, however it ends. They are started detached, in
 * groups of their own, so a terminal's Ctrl-C reaches only the launcher, which stops them in
 * order; that also means nothing stops them if the launcher dies. Two layers, as the Ceph
 * harness's `orphan-guard.ts`:
 * - an `exit` handler SIGKILLs every group still registered (normal exit, `process.exit`);
 * - a watchdog `sh` in its own session blocks reading a pipe whose only writer is this process.
 *   When this process ends for any reason (SIGKILL too), the kernel closes the pipe, and the
 *   watchdog SIGKILLs the groups still listed in `<dir>/run/*.pgid` and removes `dir`.
 * A group is listed from its start until its leader has exited (then its file is removed), so
 * the watchdog never signals a group id the kernel may have handed out again.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { Socket } from "node:net";

/** Registers groups to kill if this process ends first; `release()` once they are stopped. */
export interface GroupGuard {
  /** Lists process group `pgid` (a detached child's pid) under `name`. */
  add(name: string, pgid: number): void;
  /** Forgets `name`: its leader has exited. */
  remove(name: string): void;
  /** Disarms both layers (call after stopping every group). */
  release(): void;
}

// Positional parameters: $1 the set's directory, $2 "keep" or "".
const WATCHDOG_SCRIPT = `
cat >/dev/null
for f in "$1"/run/*.pgid; do
  [ -f "$f" ] || continue
  pgid=$(cat "$f" 2>/dev/null) || continue
  [ -n "$pgid" ] && kill -s KILL -- "-$pgid" 2>/dev/null
done
[ -n "$2" ] || rm -rf -- "$1"
`;

/** Arms both layers for the replica set in `dir` (its `run/` holds the group files). */
export function guardProcessGroups(dir: string, keepDir: boolean): GroupGuard {
  const runDir = `${dir}/run`;
  mkdirSync(runDir, { recursive: true });
  const groups = new Map<string, number>();
  const onExit = () => {
    for (const pgid of groups.values()) {
      killGroup(pgid, "SIGKILL");
    }
  };
  process.on("exit", onExit);

  const watchdog = spawn(
    "sh",
    ["-c", WATCHDOG_SCRIPT, "reel-replicas-watchdog", dir, keepDir ? "keep" : ""],
    { detached: true, stdio: ["pipe", "ignore", "ignore"] },
  );
  // Neither the watchdog nor its pipe may keep this process alive.
  watchdog.unref();
  if (watchdog.stdin instanceof Socket) {
    watchdog.stdin.unref();
  }
  watchdog.stdin.on("error", () => {
    // The watchdog died first (someone killed it); the exit handler still covers a normal end.
  });

  let released = false;
  return {
    add(name, pgid) {
      groups.set(name, pgid);
      writeFileSync(`${runDir}/${name}.pgid`, String(pgid));
    },
    remove(name) {
      groups.delete(name);
      rmSync(`${runDir}/${name}.pgid`, { force: true });
    },
    release() {
      if (released) {
        return;
      }
      released = true;
      process.off("exit", onExit);
      // End of file: the watchdog finds no group file left, and exits.
      watchdog.stdin.end();
    },
  };
}

/** Sends `signal` to every process in group `pgid`; false when the group is gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
