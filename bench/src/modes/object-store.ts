/**
 * The object-store rows: W1–W3 with the benchmark file in a Ceph RADOS Gateway, served by Reel
 * (`VIDEO_STORE=s3://…`), by a bare Node reader that does one GetObject per request (the store's
 * own limit as a Node process sees it) and by nginx proxying the gateway. One gateway serves the
 * whole run; the servers are started afresh per round like the directory peers.
 */
import { spawnSync } from "node:child_process";
import type { Fixture } from "../fixture.js";
import { type Gateway, startGateway } from "../gateway.js";
import { PeakRssSampler } from "../memory.js";
import {
  renderObjectStore,
  renderStoreTables,
  type StoreRun,
  summariseStore,
} from "../object-store-report.js";
import type { Options } from "../options.js";
import { objectStorePeers, S3_DIRECT_ID } from "../peers/object-store.js";
import type { PeerDefinition } from "../peers/types.js";
import { isInterrupted } from "../processes.js";
import { writeSection } from "../results-file.js";
import { collectSystemInfo } from "../system-info.js";
import { runRounds } from "./rounds.js";

const STORE_WORKLOADS = new Set(["W1", "W2", "W3"]);
const CEPH_BINARIES = ["radosgw", "ceph-mon", "ceph-osd"];

/** Why the rows cannot run here (Ceph missing), or undefined when they can. */
export function objectStoreUnavailable(): string | undefined {
  const missing = CEPH_BINARIES.filter(
    (name) => spawnSync(name, ["--version"], { stdio: "ignore" }).error !== undefined,
  );
  return missing.length === 0
    ? undefined
    : `${missing.join(", ")} not installed (apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd)`;
}

/**
 * Starts the gateway, runs the rounds, writes the `object-store` section and prints its tables.
 * `--peers` picks among reel, s3-direct and nginx-s3; the gateway is stopped at the end, also
 * on an error (and on Ctrl-C by run.ts's clean-up).
 */
export async function runObjectStore(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const workloads = options.workloads.filter((workload) => STORE_WORKLOADS.has(workload.id));
  if (workloads.length === 0) {
    log("object store: none of W1–W3 selected, skipped");
    return;
  }
  const unavailable = objectStoreUnavailable();
  if (unavailable !== undefined) {
    throw new Error(`object store: ${unavailable}`);
  }
  const started = new Date();
  const gateway = await startGateway(fixture, {
    cpu: options.storeCpu,
    noDelay: options.storeNoDelay,
    log,
  });
  try {
    const idleStoreRssBytes = idleRss(gateway);
    const peers = selectStorePeers(objectStorePeers(gateway), options.peerIds);
    const { verifications, samples } = await runRounds(
      peers.map((peer) => ({ id: peer.id, name: peer.name, peer })),
      fixture,
      {
        ...options,
        warmupSeconds: options.storeWarmupSeconds,
        durationSeconds: options.storeDurationSeconds,
        workloads,
        log,
        storePids: gateway.pids,
      },
    );
    if (isInterrupted()) {
      return; // Ctrl-C: the servers died under the rounds, nothing worth reporting
    }
    const run: StoreRun = {
      command: `pnpm bench${options.mode === "object-store" ? " --object-store" : ""}${options.isQuick ? " --quick" : ""}`,
      isQuick: options.isQuick,
      rounds: options.rounds,
      warmupSeconds: options.storeWarmupSeconds,
      durationSeconds: options.storeDurationSeconds,
      serverCpu: options.serverCpu,
      clientCpu: options.clientCpu,
      storeCpu: options.storeCpu,
      storeNoDelay: options.storeNoDelay,
      workloads,
      peers,
      directId: S3_DIRECT_ID,
      verifications,
      summaries: summariseStore(samples),
      system: collectSystemInfo(started),
      cephVersion: cephVersion(),
      gatewayStartMs: gateway.startMs,
      uploadMs: gateway.uploadMs,
      idleStoreRssBytes,
    };
    const files = writeSection(
      "object-store",
      renderObjectStore(run),
      options.isQuick,
      {},
      {
        ...run,
        verifications: Object.fromEntries(verifications),
        samples,
      },
    );
    console.log(
      [
        "",
        `Object store, medians of ${options.rounds} round(s)${options.isQuick ? " (quick: not a measurement)" : ""}:`,
        ...renderStoreTables(run),
        "",
      ].join("\n"),
    );
    log(`wrote ${files.join(", ")}`);
  } finally {
    await gateway.stop();
  }
}

/**
 * The object-store rows as the last part of the full comparison (and of `--quick`): all three
 * store peers, unless `--peers` leaves Reel out; skipped with a note when Ceph is not installed,
 * so a machine without it still runs the rest.
 */
export async function runObjectStoreAfterComparison(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const ids = options.peerIds?.split(",").map((id) => id.trim());
  if (ids !== undefined && !ids.includes("reel")) {
    log("object store: skipped (--peers leaves out reel)");
    return;
  }
  const unavailable = objectStoreUnavailable();
  if (unavailable !== undefined) {
    log(`object store: skipped, ${unavailable}`);
    return;
  }
  await runObjectStore({ ...options, peerIds: undefined }, fixture, log);
}

function selectStorePeers(all: PeerDefinition[], ids: string | undefined): PeerDefinition[] {
  if (ids === undefined) {
    return all;
  }
  const wanted = ids.split(",").map((id) => id.trim());
  const chosen = all.filter((peer) => wanted.includes(peer.id));
  if (chosen.length !== wanted.length) {
    throw new Error(
      `--object-store takes --peers among ${all.map((peer) => peer.id).join(", ")}; got ${ids}`,
    );
  }
  return chosen;
}

/** RSS of the daemons now, with the object stored and no load: the store's own footprint. */
function idleRss(gateway: Gateway): number {
  const sampler = new PeakRssSampler(gateway.pids);
  sampler.start();
  return sampler.stop();
}

function cephVersion(): string {
  const result = spawnSync("radosgw", ["--version"], { encoding: "utf8" });
  // "ceph version 16.2.15 (618f…) pacific (stable)"
  const match = /ceph version (\S+) \(\w+\) (\w+)/.exec(result.stdout ?? "");
  return match ? `Ceph ${match[1]} (${match[2]})` : "Ceph (version unknown)";
}
