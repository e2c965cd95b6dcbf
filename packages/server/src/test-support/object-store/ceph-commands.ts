/**
 * Runs Ceph's command-line tools: one-shot tools with captured output, and daemons that fork
 * into the background. Debian puts some in /usr/bin and some in /usr/sbin, and a non-root PATH
 * often lacks /usr/sbin, so binaries are looked up in both as well as on PATH.
 */
import { execFile, spawn } from "node:child_process";
import { accessSync, closeSync, constants, openSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The Debian packages that provide every tool used here. */
export const CEPH_PACKAGES = ["radosgw", "ceph-mon", "ceph-osd"] as const;

const SYSTEM_DIRS = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"];

/**
 * Absolute path of the executable `name`. Throws `Error` naming the apt packages to install when
 * it is nowhere to be found.
 */
export function findCephBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `${name} is not installed. Install Ceph: apt-get install -y --no-install-recommends ${CEPH_PACKAGES.join(" ")}`,
  );
}

/**
 * Runs a tool that exits by itself and returns its stdout. `timeoutMs` kills it (SIGKILL) when it
 * hangs. Throws `Error` with the command line, exit status and stderr when it fails.
 */
export function runCephTool(name: string, args: string[], timeoutMs: number): Promise<string> {
  const binary = findCephBinary(name);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { timeout: Math.max(1, timeoutMs), killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const how = error.killed ? `killed after ${timeoutMs} ms` : `exit ${error.code}`;
          reject(new Error(`${name} ${args.join(" ")} failed (${how}): ${stderr.trim()}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/**
 * Starts a daemon that forks into the background (Ceph's default) and resolves once the
 * foreground launcher exits 0; the daemon's pid is then in its pid file. The launcher runs in
 * its own session (`detached`), so a Ctrl-C in the terminal reaches our process only and the
 * daemons are stopped in order by `stop()`. Its stdout and stderr go to `outputPath`, a file: a
 * pipe would stay open in the forked daemon and never signal the end. Throws `Error` when the
 * launcher fails or does not exit within `timeoutMs`.
 */
export function launchCephDaemon(
  name: string,
  args: string[],
  outputPath: string,
  timeoutMs: number,
): Promise<void> {
  const binary = findCephBinary(name);
  const output = openSync(outputPath, "a");
  return new Promise<void>((resolve, reject) => {
    const child = spawn(binary, args, { detached: true, stdio: ["ignore", output, output] });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not finish starting within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`${name} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
      }
    });
  }).finally(() => closeSync(output));
}
