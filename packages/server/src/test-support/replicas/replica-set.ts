/**
 * Starts N real Reel server processes with the same environment (one object store, typically)
 * behind one nginx from Debian as the load balancer, and stops them all. The documented command
 * (`node scripts/replicas.mjs`) and the failover tests run this same code.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePorts } from "../object-store/free-ports.js";
import { tailOfLog } from "../object-store/log-tail.js";
import { waitUntil } from "../object-store/wait-until.js";
import { guardProcessGroups, killGroup } from "./group-guard.js";
import {
  hostPort,
  nginxAccessLogPath,
  nginxConfPath,
  nginxErrorLogPath,
  renderNginxConf,
} from "./nginx-conf.js";

/** `packages/server/`, where `src/main.ts` and `dist/main.js` live. */
const SERVER_DIR = fileURLToPath(new URL("../../../", import.meta.url));
/** Where Debian installs nginx; `nginx` on PATH otherwise. */
const DEBIAN_NGINX = "/usr/sbin/nginx";
const DEFAULT_TIMEOUT_MS = 120_000;
/** How long a replica or nginx gets to exit on SIGTERM before SIGKILL, in milliseconds. */
const STOP_GRACE_MS = 8_000;
/** Pause between readiness probes, in milliseconds. */
const POLL_INTERVAL_MS = 50;
/** Limit for one HTTP probe, in milliseconds. */
const PROBE_TIMEOUT_MS = 2_000;

/** Options of `startReplicaSet`. */
export interface StartReplicaSetOptions {
  /** How many server processes (at least 1). */
  replicas: number;
  /**
   * The environment of every replica: `VIDEO_STORE`, `S3_ENDPOINT`, `AWS_*`, `S3_POLL_MS`,
   * `LOG_LEVEL`… (or `VIDEO_DIR`), and `PATH`. `HOST` and `PORT` are set per replica
   * (127.0.0.1 and a free port): only nginx faces clients.
   */
  env: NodeJS.ProcessEnv;
  /** nginx's port (default: a free one). */
  port?: number;
  /** nginx's listen address (default `127.0.0.1`). */
  host?: string;
  /**
   * `"source"` (default) runs `node --import tsx src/main.ts`, as `main.test.ts` does, so tests
   * need no build; `"dist"` runs the built `dist/main.js` (`pnpm -C packages/server build`).
   */
  entry?: "source" | "dist";
  /** Directory in which the set's temporary directory is created (default `os.tmpdir()`). */
  parentDir?: string;
  /** Limit for the whole start in milliseconds (default 120 000); it only turns a hang into an error. */
  timeoutMs?: number;
  /** Keep the directory (config, logs) after `stop()` or a failed start. */
  keepDir?: boolean;
  /** Receives one line per start step with the elapsed milliseconds (progress for humans). */
  onStep?: (message: string) => void;
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running Reel server process of the set. */
export interface Replica {
  /** 0-based position; also its place in nginx's `upstream`. */
  index: number;
  pid: number;
  /** Its own port on 127.0.0.1 (nginx's upstream address is `127.0.0.1:port`). */
  port: number;
  /** `http://127.0.0.1:port`, to reach this replica directly, bypassing nginx. */
  url: string;
  /** Its stdout and stderr (pino's JSON lines). */
  logPath: string;
  /** False once the process has exited. */
  readonly running: boolean;
  /** Resolves once the process has exited (at once if it has). */
  exited: Promise<ProcessExit>;
  /** Sends `signal` to the process (a no-op once it has exited). */
  kill(signal: NodeJS.Signals): void;
}

/** The running set: nginx in front of the replicas. */
export interface ReplicaSet {
  /** nginx's URL, `http://host:port`: what clients use. */
  url: string;
  /** The set's directory: `nginx.conf`, the logs, `run/`. */
  dir: string;
  replicas: Replica[];
  nginx: {
    /** The master process (its worker is its child). */
    pid: number;
    confPath: string;
    /** One JSON line per request (`NginxAccessEntry`), written when the response ends. */
    accessLogPath: string;
    errorLogPath: string;
  };
  /** The pids of every process of the set still running: replicas, nginx's master and worker. */
  pids(): number[];
  /**
   * Stops nginx, then every replica (SIGTERM, SIGKILL after 8 s), waits until each has exited
   * and removes `dir` unless `keepDir`. Safe to call twice.
   */
  stop(): Promise<void>;
}

interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  exited: Promise<ProcessExit>;
  readonly running: boolean;
}

/**
 * Starts `options.replicas` Reel processes on free loopback ports and nginx in front of them,
 * and waits until each replica and then nginx answer HTTP (any status: a replica whose store is
 * down answers 503, and is still up). Throws `Error` naming the step that failed, with the tail
 * of that process's log, after stopping whatever had started. Throws when nginx is not installed
 * or, with `entry: "dist"`, the server is not built.
 */
export async function startReplicaSet(options: StartReplicaSetOptions): Promise<ReplicaSet> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isSafeInteger(options.replicas) || options.replicas < 1) {
    throw new RangeError(`replicas must be a whole number ≥ 1, got ${options.replicas}`);
  }
  const nginxBinary = findNginx();
  const entry = options.entry ?? "source";
  const mainArgs = entry === "dist" ? ["dist/main.js"] : ["--import", "tsx", "src/main.ts"];
  if (entry === "dist" && !existsSync(join(SERVER_DIR, "dist/main.js"))) {
    throw new Error(`${SERVER_DIR}dist/main.js is missing: run pnpm -C packages/server build`);
  }
  const host = options.host ?? "127.0.0.1";
  const keepDir = options.keepDir ?? false;
  const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), "reel-replicas-"));
  const guard = guardProcessGroups(dir, keepDir);
  const children: Child[] = [];
  let nginxChild: Child | undefined;
  const step = (message: string) =>
    options.onStep?.(`${message}: done at ${Date.now() - started} ms`);

  /** Spawns `command` detached (a process group of its own), output appended to `logPath`. */
  const launch = (
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    logPath: string,
  ) => {
    const log = openSync(logPath, "a");
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: SERVER_DIR,
        env,
        stdio: ["ignore", log, log],
        detached: true,
      });
    } finally {
      closeSync(log); // the child has its own copy
    }
    const pid = child.pid;
    if (pid === undefined) {
      throw new Error(`could not start ${command} (${name})`);
    }
    let running = true;
    guard.add(name, pid);
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once("exit", (code, signal) => {
        running = false;
        guard.remove(name);
        resolve({ code, signal });
      });
    });
    const launched: Child = {
      name,
      process: child,
      pid,
      exited,
      get running() {
        return running;
      },
    };
    children.push(launched);
    return launched;
  };

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    try {
      // nginx first, so no request is sent to a replica that is going away; SIGTERM is its fast
      // shutdown (SIGQUIT would wait for every event stream to end, which they never do).
      if (nginxChild !== undefined) {
        await stopChild(nginxChild);
      }
      await Promise.all(children.map((child) => stopChild(child)));
    } finally {
      guard.release();
      if (!keepDir) {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };

  try {
    const ports = await findFreePorts(options.replicas + (options.port === undefined ? 1 : 0));
    const nginxPort = options.port ?? ports.pop();
    if (nginxPort === undefined || ports.length !== options.replicas) {
      throw new Error("findFreePorts returned fewer ports than asked for");
    }
    const replicas = ports.map((port, index): Replica => {
      const logPath = join(dir, `replica-${index}.log`);
      // One process per replica unless the caller asks for more: a replica stands for a machine,
      // and the tests kill it and read its I/O through its one pid.
      const env = { WORKERS: "1", ...options.env, HOST: "127.0.0.1", PORT: String(port) };
      const child = launch(`replica-${index}`, process.execPath, mainArgs, env, logPath);
      return {
        index,
        pid: child.pid,
        port,
        url: `http://127.0.0.1:${port}`,
        logPath,
        get running() {
          return child.running;
        },
        exited: child.exited,
        kill(signal) {
          if (child.running) {
            killProcess(child.pid, signal);
          }
        },
      };
    });
    await Promise.all(
      replicas.map(async (replica) => {
        await waitForHttp(`${replica.url}/api/health`, deadline, `replica ${replica.index}`, () =>
          replica.running ? undefined : `exited:\n${tailOfLog(replica.logPath)}`,
        );
        step(`replica ${replica.index} on :${replica.port}`);
      }),
    );

    const layout = { dir, host, port: nginxPort, upstreamPorts: ports };
    mkdirSync(join(dir, "nginx-temp"));
    writeFileSync(nginxConfPath(layout), renderNginxConf(layout));
    const errorLog = nginxErrorLogPath(layout);
    // -e: the log for messages before the configuration is read (else /var/log/nginx, root's);
    // `daemon off` keeps the master our child, so its exit is seen.
    nginxChild = launch(
      "nginx",
      nginxBinary,
      ["-p", dir, "-e", errorLog, "-c", nginxConfPath(layout), "-g", "daemon off;"],
      { PATH: options.env.PATH ?? process.env.PATH },
      join(dir, "nginx.out"),
    );
    const url = `http://${hostPort(host, nginxPort)}`;
    const nginx = nginxChild;
    await waitForHttp(`${url}/api/health`, deadline, "nginx", () =>
      nginx.running
        ? undefined
        : `exited:\n${tailOfLog(join(dir, "nginx.out"))}\n${tailOfLog(errorLog)}`,
    );
    step(`nginx on ${url}`);

    return {
      url,
      dir,
      replicas,
      nginx: {
        pid: nginx.pid,
        confPath: nginxConfPath(layout),
        accessLogPath: nginxAccessLogPath(layout),
        errorLogPath: errorLog,
      },
      pids: () =>
        children
          .filter((child) => child.running)
          .flatMap((child) => [child.pid, ...childrenOf(child.pid)]),
      stop: () => {
        stopping ??= stop();
        return stopping;
      },
    };
  } catch (error) {
    await stop().catch(() => {
      // The start error is the one worth reporting.
    });
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Starting the replica set in ${dir}${keepDir ? "" : " (removed; keepDir keeps it)"}: ${message}`,
      { cause: error },
    );
  }
}

/** SIGTERM to the child's whole group, SIGKILL after the grace period; resolves once it exited. */
async function stopChild(child: Child): Promise<void> {
  if (!child.running) {
    return;
  }
  killGroup(child.pid, "SIGTERM");
  const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), STOP_GRACE_MS);
  // nginx's master exits only after its worker; a replica has no children.
  await child.exited;
  clearTimeout(timer);
}

/** Sends `signal` to `pid`, which may have exited a moment ago (then nothing happens). */
function killProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Polls `url` until it answers HTTP; `failure()` returning a reason ends the wait with it. */
async function waitForHttp(
  url: string,
  deadline: number,
  what: string,
  failure: () => string | undefined,
): Promise<void> {
  await waitUntil(
    async () => {
      const reason = failure();
      if (reason !== undefined) {
        throw new Error(`${what} ${reason}`);
      }
      return (await answersHttp(url)) ? true : undefined;
    },
    { deadline, intervalMs: POLL_INTERVAL_MS, what: `${what} to answer ${url}` },
  );
}

/** True when `url` answers HTTP at all (any status); false on a refused or timed-out connection. */
function answersHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: PROBE_TIMEOUT_MS, agent: false }, (response) => {
      response.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy(new Error("probe timed out")));
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** Debian's nginx, or the one on PATH; throws naming the apt package when there is none. */
export function findNginx(): string {
  if (existsSync(DEBIAN_NGINX)) {
    return DEBIAN_NGINX;
  }
  for (const directory of (process.env.PATH ?? "").split(":")) {
    if (directory !== "" && existsSync(join(directory, "nginx"))) {
      return join(directory, "nginx");
    }
  }
  throw new Error("nginx is not installed: sudo apt-get install -y nginx");
}

/** Direct children of `pid` (nginx's worker), from /proc; `[]` when it has none or is gone. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter((text) => text !== "")
      .map(Number);
  } catch {
    return [];
  }
}
