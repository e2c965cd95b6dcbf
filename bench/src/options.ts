/** Command-line options of `pnpm bench` (see bench/README.md). */
import { parseArgs } from "node:util";
import { WORKLOADS, type Workload } from "./workloads.js";

/** Which job the command does. */
export type Mode = "compare" | "http2" | "object-store" | "extras" | "sweep" | "soak" | "profile";

/** Parsed and defaulted options. */
export interface Options {
  mode: Mode;
  /** One short round, results to bench/results/ instead of bench/RESULTS.md. */
  isQuick: boolean;
  rounds: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** `--peers reel,nginx` (ids), or undefined for all. */
  peerIds: string | undefined;
  workloads: Workload[];
  /** Rebuild packages/server: "auto" when dist is older than src. */
  build: "auto" | "always" | "never";
  soakMinutes: number;
  soakConnections: number;
  serverCpu: number;
  clientCpu: number;
  /** Core the object store's daemons are pinned to; undefined = not pinned (`--store-cpu any`). */
  storeCpu: number | undefined;
  /** Restart the gateway with TCP_NODELAY (default); `--store-nagle` keeps Ceph's default. */
  storeNoDelay: boolean;
  /**
   * Warm-up and timed seconds of the object-store rows: --warmup/--duration when given, else
   * 3 + 10, and 0 + 1 with --quick (a smoke run must stay short; the gateway alone takes ~4 s).
   */
  storeWarmupSeconds: number;
  storeDurationSeconds: number;
  /**
   * Warm-up and timed seconds of W404 and of the all-cores rows: --warmup/--duration when given
   * or in a full run, and 0 + 1 with --quick, which keeps what they add to CI's smoke run short.
   */
  briefWarmupSeconds: number;
  briefDurationSeconds: number;
}

/** Usage text for `--help`. */
export const USAGE = `pnpm bench [--quick] [--http2 | --object-store | --extras | --sweep | --soak | --profile] [options]
  --quick            one short round (2 s per workload), results to bench/results/
  --http2            only the HTTP/2 rows (W3 over HTTPS, Reel and nginx, h2load)
  --object-store     only the object-store rows (W1-W3 from a Ceph RADOS Gateway: Reel,
                     a direct SDK reader, nginx proxying the gateway)
  --store-cpu N|any  core for the gateway's daemons (default 0, the load generator's core)
  --store-nagle      keep the gateway's default Nagle (no tcp_nodelay): ~40 ms per kept-alive answer
  --extras           only the extras rows: W3 against Reel idle and while it renders the
                     posters and previews of 20 new videos (needs ffmpeg)
  --sweep            CHUNK_SIZE sweep on Reel (10000, 65536, 262144, 1048576)
  --soak             W3 at 256 connections for 10 min with 10 % aborted requests (Reel)
  --profile          Reel under node --cpu-prof during W3 (or the workload given with
                     --workloads, e.g. W404); prints the top self-time functions
  --rounds N         interleaved rounds (default 3; --quick 1)
  --duration S       seconds per timed workload (default 10; --quick 2, object store 1)
  --warmup S         seconds of warm-up per workload (default 3; --quick 1, object store 0)
  --peers a,b        subset of: reel, nginx, node-http, send, fastify, koa-naive
  --workloads W1,W3  subset of W1..W4, W404
  --minutes M        soak length (default 10; --quick 1)
  --build | --no-build   force or skip \`pnpm -C packages/server build\` (default: when stale)`;

/** Parses `argv` (without node and script). */
export function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== "--"), // pnpm may pass a lone `--` through
    options: {
      quick: { type: "boolean", default: false },
      http2: { type: "boolean", default: false },
      "object-store": { type: "boolean", default: false },
      "store-cpu": { type: "string" },
      "store-nagle": { type: "boolean", default: false },
      extras: { type: "boolean", default: false },
      sweep: { type: "boolean", default: false },
      soak: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      rounds: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      peers: { type: "string" },
      workloads: { type: "string" },
      minutes: { type: "string" },
      build: { type: "boolean" },
      "no-build": { type: "boolean" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    return "help";
  }
  const modes = (["http2", "object-store", "extras", "sweep", "soak", "profile"] as const).filter(
    (mode) => values[mode],
  );
  if (modes.length > 1) {
    throw new Error(
      `choose one of --http2, --object-store, --extras, --sweep, --soak, --profile (got ${modes.join(", ")})`,
    );
  }
  const isQuick = values.quick;
  const warmupSeconds = nonNegativeInt("warmup", values.warmup, isQuick ? 1 : 3);
  const durationSeconds = positiveInt("duration", values.duration, isQuick ? 2 : 10);
  return {
    mode: modes[0] ?? "compare",
    isQuick,
    rounds: positiveInt("rounds", values.rounds, isQuick ? 1 : 3),
    warmupSeconds,
    durationSeconds,
    peerIds: values.peers,
    workloads: selectWorkloads(values.workloads),
    build: values.build ? "always" : values["no-build"] ? "never" : "auto",
    soakMinutes: positiveNumber("minutes", values.minutes, isQuick ? 1 : 10),
    soakConnections: 256,
    serverCpu: 1,
    clientCpu: 0,
    storeCpu: parseStoreCpu(values["store-cpu"]),
    storeNoDelay: !values["store-nagle"],
    storeWarmupSeconds: values.warmup === undefined && isQuick ? 0 : warmupSeconds,
    storeDurationSeconds: values.duration === undefined && isQuick ? 1 : durationSeconds,
    briefWarmupSeconds: values.warmup === undefined && isQuick ? 0 : warmupSeconds,
    briefDurationSeconds: values.duration === undefined && isQuick ? 1 : durationSeconds,
  };
}

function selectWorkloads(list: string | undefined): Workload[] {
  if (list === undefined) {
    return WORKLOADS;
  }
  const ids = list.split(",").map((id) => id.trim().toUpperCase());
  const chosen = WORKLOADS.filter((workload) => ids.includes(workload.id));
  if (chosen.length !== ids.length) {
    throw new Error(`--workloads takes W1..W4 or W404, got ${list}`);
  }
  return chosen;
}

function parseStoreCpu(text: string | undefined): number | undefined {
  if (text === "any") {
    return undefined;
  }
  // Default: the load generator's core, so the server's core stays the server's alone.
  return nonNegativeInt("store-cpu", text, 0);
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a whole number ≥ 1, got ${text}`);
  }
  return value;
}

function nonNegativeInt(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number ≥ 0, got ${text}`);
  }
  return value;
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} must be a number > 0, got ${text}`);
  }
  return value;
}
