/**
 * Child processes the benchmark starts (servers, wrk): each is spawned in its own process group
 * so that one `kill(-pid)` also reaches what it forked (nginx's worker), and every one is
 * registered here so an error, Ctrl-C or a normal end never leaves one running.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { createServer, Socket } from "node:net";
import { cpus } from "node:os";

const running = new Set<Managed>();
// Things that are no child of ours but must not outlive the run (the Ceph daemons fork away).
const stoppers = new Set<() => Promise<void>>();
const GRACE_MS = 3000; // how long a server gets to exit on SIGTERM before SIGKILL

/** A started child, its output so far, and a promise of its exit code. */
export interface Managed {
  child: ChildProcess;
  pid: number;
  /** stdout + stderr collected so far (capped), for error messages. */
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Where a child runs: one core, or "all" of them. "all" is explicit (`taskset -c 0-N`) because
 * the benchmark pins itself to the client core and a child inherits that affinity.
 */
export type CpuSet = number | "all";

/** The `taskset -c` list of `cpu`. */
export function cpuList(cpu: CpuSet): string {
  return cpu === "all" ? `0-${Math.max(cpus().length - 1, 0)}` : String(cpu);
}

/** Spawns `command` under `taskset -c <cpu>` (when given), in its own process group. */
export function spawnManaged(
  command: string,
  args: string[],
  options: SpawnOptions & { cpu?: CpuSet | undefined; keepOutput?: boolean } = {},
): Managed {
  const { cpu, keepOutput = true, ...spawnOptions } = options;
  const [file, argv] =
    cpu === undefined ? [command, args] : ["taskset", ["-c", cpuList(cpu), command, ...args]];
  // taskset execs the command, so the child's pid is the server's pid.
  const child = spawn(file, argv, {
    ...spawnOptions,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${command}`);
  }
  let output = "";
  const collect = (chunk: Buffer) => {
    if (keepOutput || output.length < 64 * 1024) {
      output = (output + chunk.toString("utf8")).slice(-256 * 1024);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      running.delete(managed);
      resolve(code);
    });
    child.once("error", () => {
      running.delete(managed);
      resolve(null);
    });
  });
  const managed: Managed = { child, pid: child.pid, output: () => output, exited };
  running.add(managed);
  return managed;
}

/** Ends one child's whole process group: SIGTERM, then SIGKILL after a grace period. */
export async function stopManaged(
  managed: Managed,
  signal: NodeJS.Signals = "SIGTERM",
  graceMs = GRACE_MS,
): Promise<void> {
  if (!running.has(managed)) {
    return;
  }
  signalGroup(managed.pid, signal);
  const timer = setTimeout(() => signalGroup(managed.pid, "SIGKILL"), graceMs);
  await managed.exited;
  clearTimeout(timer);
  // The leader is gone; anything it forked and left behind goes too.
  signalGroup(managed.pid, "SIGKILL");
}

/** Synchronously SIGKILLs every child still registered (for `exit` and fatal paths). */
export function killAllNow(): void {
  for (const managed of running) {
    signalGroup(managed.pid, "SIGKILL");
  }
  running.clear();
}

/** Stops every child still registered, politely first, then runs every registered stopper. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((managed) => stopManaged(managed)));
  for (const stop of [...stoppers]) {
    stoppers.delete(stop);
    await stop().catch((error: unknown) => {
      console.error(`clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}

let interrupted = false;

/** Records that the run was interrupted (Ctrl-C): what it measured from now on is not kept. */
export function markInterrupted(): void {
  interrupted = true;
}

/** True once the run was interrupted. */
export function isInterrupted(): boolean {
  return interrupted;
}

/**
 * Registers `stop` to run at the end of the run (also on an error or Ctrl-C), for what is not a
 * managed child, such as the object store's daemons; returns the function that unregisters it
 * (call it after stopping the thing yourself). `stop` must be safe to call twice.
 */
export function registerStopper(stop: () => Promise<void>): () => void {
  stoppers.add(stop);
  return () => {
    stoppers.delete(stop);
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** A port that was free a moment ago on 127.0.0.1 (nginx needs the number in its config). */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `port` accepts a TCP connection; rejects when `managed` exits or time runs out. */
export async function waitForPort(
  managed: Managed,
  port: number,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  void managed.exited.then(() => {
    hasExited = true;
  });
  while (Date.now() < deadline) {
    if (hasExited) {
      throw new Error(`server exited before listening:\n${managed.output()}`);
    }
    if (await canConnect(port)) {
      return;
    }
    await sleep(50);
  }
  throw new Error(`server did not listen on ${port} within ${timeoutMs} ms:\n${managed.output()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
