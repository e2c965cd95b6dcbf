/**
 * Makes sure a cluster's daemons and directory do not outlive the process that started them,
 * however that process ends. Ceph daemons fork into the background and are no children of ours,
 * so nothing stops them on their own. Two layers:
 * - an `exit` handler kills them synchronously (normal exit, `process.exit`, uncaught error);
 * - a watchdog `sh`, in its own session so a terminal's Ctrl-C does not reach it, blocks reading
 *   a pipe whose only writer is this process. The kernel closes the pipe when this process ends
 *   for any reason (SIGKILL too), `cat` sees end-of-file, and the watchdog kills the daemons it
 *   finds in the pid files (only if their command line names our config) and removes the dir.
 */
import { spawn } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { killDaemonsNow } from "./daemon-process.js";

/** What the guard needs to find the daemons: the pid file directory and their config file. */
export interface GuardedCluster {
  /** The cluster's directory, removed on cleanup. */
  dir: string;
  /** The directory where the daemons write `*.pid`. */
  runDir: string;
  /** The config file every daemon of this cluster has on its command line. */
  confPath: string;
  /** Keep `dir` (logs) when cleaning up after an abnormal end. */
  keepDir: boolean;
}

/** A guard that is on until `release()` (call it once the cluster has been stopped). */
export interface OrphanGuard {
  release(): void;
}

// Positional parameters: $1 dir, $2 run dir, $3 config path, $4 "keep" or "".
const WATCHDOG_SCRIPT = `
cat >/dev/null
for f in "$2"/*.pid; do
  pid=$(cat "$f" 2>/dev/null) || continue
  if tr '\\0' '\\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$3"; then
    kill -9 "$pid" 2>/dev/null
  fi
done
[ -n "$4" ] || rm -rf -- "$1"
`;

function pidFilesIn(runDir: string): string[] {
  try {
    return readdirSync(runDir)
      .filter((name) => name.endsWith(".pid"))
      .map((name) => `${runDir}/${name}`);
  } catch {
    return [];
  }
}

/** Arms both layers for `cluster`. */
export function guardAgainstOrphans(cluster: GuardedCluster): OrphanGuard {
  const { dir, runDir, confPath, keepDir } = cluster;
  const onExit = () => {
    killDaemonsNow(pidFilesIn(runDir), confPath);
    if (!keepDir) {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.on("exit", onExit);

  const watchdog = spawn(
    "sh",
    ["-c", WATCHDOG_SCRIPT, "reel-ceph-watchdog", dir, runDir, confPath, keepDir ? "keep" : ""],
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
    release() {
      if (released) {
        return;
      }
      released = true;
      process.off("exit", onExit);
      // End of file: the watchdog finds nothing left to kill or remove, and exits.
      watchdog.stdin.end();
    },
  };
}
