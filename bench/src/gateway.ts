/**
 * The object store for the object-store rows: a throw-away single-node Ceph cluster with its RADOS
 * Gateway (the project's test harness, packages/server/src/test-support/object-store), one bucket,
 * and the benchmark file uploaded into it with one streamed PutObject.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
} from "node:fs";
import { request } from "node:http";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { type RgwInstance, startCephRgw } from "@reel/server/test-support/object-store/ceph-rgw";
import { createBucket, s3ClientFor } from "@reel/server/test-support/object-store/s3-client";
import type { Fixture } from "./fixture.js";
import { registerStopper, sleep } from "./processes.js";

/** The gateway's Ceph name, as the harness runs it (pid file `run/<name>.pid`). */
const RGW_NAME = "client.rgw";
const RESTART_TIMEOUT_MS = 30_000;

/** Bucket the benchmark file is uploaded to. */
export const BENCH_BUCKET = "reel-bench";
/** Key prefix (no trailing `/`): objects are `videos/<name>`, as a library would lay them out. */
export const BENCH_PREFIX = "videos";

/** A running gateway holding the benchmark file. */
export interface Gateway {
  rgw: RgwInstance;
  /** Port of the S3 endpoint on 127.0.0.1 (nginx's upstream). */
  port: number;
  bucket: string;
  prefix: string;
  /** The object's key: `<prefix>/<fixture name>`. */
  key: string;
  /** Milliseconds the start (monitor, OSD, gateway, user) took. */
  startMs: number;
  /** Milliseconds the upload of the fixture took. */
  uploadMs: number;
  /** The daemons (gateway, OSD, monitor): their CPU and memory are the store's. */
  pids: () => number[];
  /** Stops the daemons and removes their directory; safe to call twice. */
  stop: () => Promise<void>;
}

/** How to start it. */
export interface GatewayOptions {
  /** Core the daemons are pinned to (`taskset -a -p`), or undefined to leave them unpinned. */
  cpu: number | undefined;
  /**
   * Restart the gateway with `tcp_nodelay=1` on its beast frontend (default). Off, it keeps
   * Ceph's default, Nagle's algorithm on: then every answer on a kept-alive connection waits
   * ~40 ms for the client's delayed ACK (measured here: 21 vs 970 req/s for 10 KB ranges on
   * one connection), and the benchmark would time that stall instead of the servers.
   */
  noDelay: boolean;
  log: (line: string) => void;
}

/**
 * Starts the gateway, creates the bucket, uploads `fixture` (public-read, so that nginx can
 * proxy it without signing; see bench/README.md) and pins the daemons. The run's clean-up
 * stops it too, whatever happens after this returns.
 */
export async function startGateway(fixture: Fixture, options: GatewayOptions): Promise<Gateway> {
  // The pinned SDK runs on Node 20; its warning is about releases after January 2027.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const started = performance.now();
  const rgw = await startCephRgw();
  const unregister = registerStopper(() => rgw.stop());
  const startMs = performance.now() - started;
  const runDir = `${rgw.dir}/run`;
  const pids = () => {
    try {
      return readdirSync(runDir)
        .filter((name) => name.endsWith(".pid"))
        .map((name) => Number.parseInt(readFileSync(`${runDir}/${name}`, "utf8"), 10))
        .filter((pid) => Number.isSafeInteger(pid) && pid > 0);
    } catch {
      return []; // stopped: the directory is gone
    }
  };
  try {
    if (options.noDelay) {
      await restartWithNoDelay(rgw);
    }
    if (options.cpu !== undefined) {
      for (const pid of pids()) {
        // -a: every thread the daemon has; threads it starts later inherit the mask.
        spawnSync("taskset", ["-a", "-p", "-c", String(options.cpu), String(pid)], {
          stdio: "ignore",
        });
      }
    }
    await createBucket(rgw, BENCH_BUCKET);
    const key = `${BENCH_PREFIX}/${fixture.filename}`;
    const uploadStarted = performance.now();
    const client = s3ClientFor(rgw);
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: BENCH_BUCKET,
          Key: key,
          Body: createReadStream(fixture.path),
          ContentLength: fixture.size,
          ContentType: "video/mp4",
          ACL: "public-read",
        }),
      );
    } finally {
      client.destroy();
    }
    const uploadMs = performance.now() - uploadStarted;
    options.log(
      `object store: Ceph RGW at ${rgw.endpoint} up in ${(startMs / 1000).toFixed(1)} s; ` +
        `s3://${BENCH_BUCKET}/${key} (${fixture.size / 2 ** 20} MiB) uploaded in ${(uploadMs / 1000).toFixed(1)} s`,
    );
    return {
      rgw,
      port: Number(new URL(rgw.endpoint).port),
      bucket: BENCH_BUCKET,
      prefix: BENCH_PREFIX,
      key,
      startMs,
      uploadMs,
      pids,
      stop: async () => {
        await rgw.stop();
        unregister();
      },
    };
  } catch (error: unknown) {
    await rgw.stop();
    unregister();
    throw error;
  }
}

/**
 * Replaces the running radosgw with one whose beast frontend sets TCP_NODELAY. The harness has
 * no setting for it, and the local ceph.conf outranks the monitor's config database, so the
 * daemon is restarted with `--rgw-frontends` on its command line, which outranks the file. It
 * keeps the same config and pid file, so the harness's `stop()` and its orphan guard (which
 * find daemons by pid file and config path) stop it as before.
 */
async function restartWithNoDelay(rgw: RgwInstance): Promise<void> {
  const conf = `${rgw.dir}/ceph.conf`;
  const pidFile = `${rgw.dir}/run/${RGW_NAME}.pid`;
  const old = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
  process.kill(old, "SIGTERM");
  const deadline = Date.now() + RESTART_TIMEOUT_MS;
  while (existsSync(`/proc/${old}`) && !isZombie(old)) {
    if (Date.now() > deadline) {
      throw new Error(`radosgw (pid ${old}) did not stop within ${RESTART_TIMEOUT_MS} ms`);
    }
    await sleep(50);
  }
  const endpoint = new URL(rgw.endpoint);
  // The launcher forks the daemon and exits; its output goes to the log directory like the
  // harness's, never to a pipe the daemon would keep open.
  const out = openSync(`${rgw.dir}/log/${RGW_NAME}.out`, "a");
  try {
    const launched = spawnSync(
      "radosgw",
      [
        "-c",
        conf,
        "-n",
        RGW_NAME,
        "--rgw-frontends",
        `beast endpoint=${endpoint.hostname}:${endpoint.port} tcp_nodelay=1`,
      ],
      { stdio: ["ignore", out, out], timeout: RESTART_TIMEOUT_MS },
    );
    if (launched.status !== 0) {
      throw new Error(
        `radosgw restart failed (${launched.error?.message ?? `exit ${launched.status}`})`,
      );
    }
  } finally {
    closeSync(out);
  }
  while (!(await answers(rgw.endpoint))) {
    if (Date.now() > deadline) {
      throw new Error(`radosgw did not answer within ${RESTART_TIMEOUT_MS} ms after its restart`);
    }
    await sleep(100);
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}
