/**
 * Starts and stops a real single-node Ceph cluster with its RADOS Gateway (S3 API) on loopback,
 * for tests and local development: one monitor, one in-memory OSD, one gateway, auth off, all
 * state in one temporary directory. The steps are TOOLCHAIN.md's recipe ("A real S3 store").
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { launchCephDaemon, runCephTool } from "./ceph-commands.js";
import {
  type CephLayout,
  confPath,
  logPath,
  MON_ID,
  monitorAddresses,
  pidPath,
  RGW_NAME,
  renderCephConf,
} from "./ceph-conf.js";
import type { ObjectStoreConnection } from "./connection.js";
import { readPidFile, runningDaemonPid, stopDaemon } from "./daemon-process.js";
import { findFreePorts } from "./free-ports.js";
import { tailOfLog } from "./log-tail.js";
import { guardAgainstOrphans } from "./orphan-guard.js";
import { waitUntil } from "./wait-until.js";

/** Options of `startCephRgw`. */
export interface StartCephRgwOptions {
  /**
   * Limit for the whole start, in milliseconds (default 180 000). It takes about 3 s on an idle
   * machine; the limit only turns a hang into an error.
   */
  timeoutMs?: number;
  /** Directory in which the cluster's temporary directory is created (default `os.tmpdir()`). */
  parentDir?: string;
  /** S3 credentials of the test user (random by default). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Keep the directory (config, logs) after `stop()` or a failed start, for debugging. */
  keepDir?: boolean;
  /** Receives one line per start step with the elapsed milliseconds (progress for humans). */
  onStep?: (message: string) => void;
}

/** A running gateway: where to reach it, where its files are, and how to stop it. */
export interface RgwInstance extends ObjectStoreConnection {
  /** The cluster's directory: `ceph.conf`, `log/*.log`, `run/*.pid`, monitor data. */
  dir: string;
  /**
   * Stops the gateway, the OSD and the monitor in that order (each one needs the next to shut
   * down quickly), waits until they are gone and removes `dir`. Safe to call twice.
   */
  stop(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 180_000;
/** How long a daemon may take to exit after SIGTERM before it gets SIGKILL, in milliseconds. */
const STOP_GRACE_MS = 5_000;
/** Pause between readiness probes, in milliseconds. */
const POLL_INTERVAL_MS = 100;
/** Limit for one HTTP probe of the gateway, in milliseconds. */
const PROBE_TIMEOUT_MS = 2_000;

const OsdStatSchema = z.object({ num_osds: z.number(), num_up_osds: z.number() });

/**
 * Creates a fresh cluster on free loopback ports, starts it and creates an S3 user. Throws
 * `Error` naming the step that failed, with the tail of the relevant daemon log, after stopping
 * whatever had started (and removing the directory unless `keepDir`). Throws when the Ceph tools
 * are not installed (the message names the apt packages).
 */
export async function startCephRgw(options: StartCephRgwOptions = {}): Promise<RgwInstance> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const keepDir = options.keepDir ?? false;
  const [monV2Port, monV1Port, rgwPort] = await findFreePorts(3);
  if (monV2Port === undefined || monV1Port === undefined || rgwPort === undefined) {
    throw new Error("findFreePorts returned fewer ports than asked for");
  }
  const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), "reel-ceph-"));
  const layout: CephLayout = { dir, fsid: randomUUID(), monV2Port, monV1Port, rgwPort };
  const conf = confPath(layout);
  const guard = guardAgainstOrphans({ dir, runDir: `${dir}/run`, confPath: conf, keepDir });
  const credentials = {
    accessKeyId: options.accessKeyId ?? randomBytes(10).toString("hex").toUpperCase(),
    secretAccessKey: options.secretAccessKey ?? randomBytes(20).toString("hex"),
  };

  let osdName = "osd.0";
  const stop = async () => {
    try {
      // Gateway first: stopping, it unwatches objects on the OSD and hangs for its 120 s alarm
      // if the OSD is gone. Then the OSD, which waits for the monitor to acknowledge.
      for (const name of [RGW_NAME, osdName, `mon.${MON_ID}`]) {
        await stopDaemon(pidPath(layout, name), conf, STOP_GRACE_MS);
      }
    } finally {
      if (!keepDir) {
        rmSync(dir, { recursive: true, force: true });
      }
      guard.release();
    }
  };

  const step = async <T>(what: string, log: string, action: () => Promise<T>): Promise<T> => {
    const remaining = deadline - Date.now();
    try {
      const result = await action();
      options.onStep?.(`${what}: done at ${Date.now() - started} ms`);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Starting Ceph RGW in ${dir}${keepDir ? "" : " (removed; keepDir keeps it)"}: ${what} ` +
          `failed (${remaining} ms were left): ${message}\n` +
          `--- last lines of ${logPath(layout, log)} ---\n${tailOfLog(logPath(layout, log))}`,
        { cause: error },
      );
    }
  };
  const remainingMs = () => Math.max(1, deadline - Date.now());
  const tool = (what: string, log: string, args: string[]) => {
    const binary = what.split(" ")[0] ?? what;
    return step(what, log, () => runCephTool(binary, args, remainingMs()));
  };
  const launch = (binary: string, name: string, args: string[]) =>
    step(binary, name, () =>
      launchCephDaemon(binary, ["-c", conf, ...args], `${dir}/log/${name}.out`, remainingMs()),
    );
  // The `ceph` CLI retries the monitor until --connect-timeout (whole seconds) runs out.
  const ceph = (args: string[]) =>
    runCephTool(
      "ceph",
      ["-c", conf, "--connect-timeout", String(Math.ceil(remainingMs() / 1000)), ...args],
      remainingMs(),
    );

  try {
    for (const sub of ["run", "log", "mon", "osd", "crash"]) {
      mkdirSync(`${dir}/${sub}`);
    }
    writeFileSync(conf, renderCephConf(layout));
    const monmap = `${dir}/monmap`;
    const monName = `mon.${MON_ID}`;
    const monAddresses = monitorAddresses(layout);
    await tool("monmaptool --create", monName, [
      "--create",
      "--clobber",
      "--addv",
      MON_ID,
      monAddresses,
      "--fsid",
      layout.fsid,
      monmap,
    ]);
    await tool("ceph-mon --mkfs", monName, [
      "-c",
      conf,
      "--mkfs",
      "-i",
      MON_ID,
      "--monmap",
      monmap,
    ]);
    await launch("ceph-mon", monName, ["-i", MON_ID]);

    const osdUuid = randomUUID();
    const osdId = await step("ceph osd new", monName, async () => {
      const output = (await ceph(["osd", "new", osdUuid])).trim();
      if (!/^\d+$/.test(output)) {
        throw new Error(`expected an OSD id, got ${JSON.stringify(output)}`);
      }
      return output;
    });
    osdName = `osd.${osdId}`;
    mkdirSync(`${dir}/osd/ceph-${osdId}`);
    await tool("ceph-osd --mkfs", osdName, [
      "-c",
      conf,
      "-i",
      osdId,
      "--mkfs",
      "--osd-uuid",
      osdUuid,
    ]);
    await launch("ceph-osd", osdName, ["-i", osdId]);
    let lastStat = "";
    await step("waiting for the OSD to be up", osdName, () =>
      waitUntil(
        async () => {
          assertDaemonRunning(layout, osdName);
          lastStat = await ceph(["osd", "stat", "-f", "json"]);
          return OsdStatSchema.parse(JSON.parse(lastStat)).num_up_osds >= 1 ? true : undefined;
        },
        { deadline, intervalMs: POLL_INTERVAL_MS, what: "1 OSD up" },
        () => `last osd stat: ${lastStat.trim()}`,
      ),
    );

    await launch("radosgw", RGW_NAME, ["-n", RGW_NAME]);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    // The gateway creates its pools before it listens: the first HTTP answer means it serves.
    await step("waiting for the gateway to answer HTTP", RGW_NAME, () =>
      waitUntil(
        async () => {
          assertDaemonRunning(layout, RGW_NAME);
          return (await answersHttp(endpoint)) ? true : undefined;
        },
        { deadline, intervalMs: POLL_INTERVAL_MS, what: `${endpoint} to answer` },
      ),
    );
    await tool("radosgw-admin user create", RGW_NAME, [
      "-c",
      conf,
      "user",
      "create",
      "--uid=reel-test",
      "--display-name=Reel tests",
      `--access-key=${credentials.accessKeyId}`,
      `--secret=${credentials.secretAccessKey}`,
    ]);

    let stopping: Promise<void> | undefined;
    return {
      endpoint,
      region: "us-east-1",
      ...credentials,
      dir,
      stop: () => {
        stopping ??= stop();
        return stopping;
      },
    };
  } catch (error) {
    await stop().catch(() => {
      // The start error is the one worth reporting.
    });
    throw error;
  }
}

/** Throws when the daemon `name` has written its pid file but no longer runs (it crashed). */
function assertDaemonRunning(layout: CephLayout, name: string): void {
  const pidFile = pidPath(layout, name);
  if (
    readPidFile(pidFile) !== undefined &&
    runningDaemonPid(pidFile, confPath(layout)) === undefined
  ) {
    throw new Error(`${name} exited`);
  }
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
