import { describe, expect, it } from "vitest";
import {
  limitOf,
  ratioToDirect,
  renderObjectStore,
  type StoreCpu,
  type StoreRun,
  summariseStore,
} from "./object-store-report.js";
import type { PeerDefinition } from "./peers/types.js";
import type { Sample } from "./stats.js";
import { WORKLOADS } from "./workloads.js";

const idle: StoreCpu = {
  server: 0.3,
  client: 0.05,
  store: 0.3,
  serverCoreBusy: 0.5,
  clientCoreBusy: 0.5,
};

describe("limitOf", () => {
  it("names the server when it used most of its core", () => {
    expect(limitOf({ ...idle, server: 0.97, serverCoreBusy: 1 }, true)).toBe("server");
  });

  it("names the gateway when it and wrk fill their shared core and it used more", () => {
    expect(limitOf({ ...idle, store: 0.8, client: 0.15 }, true)).toBe("gateway");
  });

  it("marks the load generator when it used more of the shared core", () => {
    expect(limitOf({ ...idle, store: 0.2, client: 0.75 }, true)).toBe("wrk ⚠");
  });

  it("marks a full core that other work kept busy", () => {
    expect(limitOf({ ...idle, serverCoreBusy: 1, clientCoreBusy: 0.99 }, true)).toBe(
      "server core†, gateway+wrk core†",
    );
  });

  it("says nothing when no core was near full (round trips to the store)", () => {
    expect(limitOf(idle, true)).toBe("—");
  });

  it("judges an unpinned gateway on its own", () => {
    expect(limitOf({ ...idle, store: 0.9, client: 0.1 }, false)).toBe("gateway");
  });
});

const sample = (peerId: string, workload: Sample["workload"], value: number, round: number) => ({
  peerId,
  workload,
  round,
  value,
  requestsPerSecond: value,
  mibPerSecond: value,
  p99Ms: 10,
  peakRssBytes: 100e6 + round,
  errors: 0,
  cpu: { server: 0.5, client: 0.1, store: 0.4, serverCoreBusy: 1, clientCoreBusy: 0.6 },
  storePeakRssBytes: 300e6,
});

describe("summariseStore and ratioToDirect", () => {
  const summaries = summariseStore([
    sample("reel", "W2", 90, 0),
    sample("reel", "W2", 70, 1),
    sample("reel", "W2", 80, 2),
    sample("s3-direct", "W2", 100, 0),
    sample("s3-direct", "W2", 100, 1),
    sample("s3-direct", "W2", 100, 2),
  ]);

  it("takes medians and the spread over the rounds", () => {
    const reel = summaries.find((s) => s.peerId === "reel");
    expect(reel?.value).toBe(80);
    expect(reel?.spread).toBeCloseTo(0.25);
    expect(reel?.cpu.server).toBe(0.5);
    expect(reel?.storePeakRssBytes).toBe(300e6);
    // Half a core at 90, 70 and 80 req/s: 5.6, 7.1 and 6.25 ms of CPU per request.
    expect(reel?.serverCpuMsPerRequest).toBeCloseTo(6.25);
  });

  it("divides Reel's median by the direct reader's", () => {
    expect(ratioToDirect(summaries, "s3-direct", "W2")).toBeCloseTo(0.8);
    expect(ratioToDirect(summaries, "s3-direct", "W1")).toBeNaN();
  });
});

describe("renderObjectStore", () => {
  const peer = (id: string, name: string): PeerDefinition => ({
    id,
    name,
    description: name,
    start: () => Promise.reject(new Error("not started in this test")),
  });
  const workloads = WORKLOADS.filter((w) => w.id !== "W4");
  const samples = workloads.flatMap((w) => [
    sample("reel", w.id, w.id === "W2" ? 70 : 90, 0),
    sample("s3-direct", w.id, 100, 0),
    sample("nginx-s3", w.id, 300, 0),
  ]);
  const run: StoreRun = {
    command: "pnpm bench --object-store",
    isQuick: false,
    rounds: 1,
    warmupSeconds: 3,
    durationSeconds: 10,
    serverCpu: 1,
    clientCpu: 0,
    storeCpu: 0,
    storeNoDelay: true,
    workloads,
    peers: [peer("reel", "Reel on S3"), peer("s3-direct", "direct"), peer("nginx-s3", "nginx")],
    directId: "s3-direct",
    verifications: new Map(),
    summaries: summariseStore(samples),
    system: {
      date: "2026-11-29T00:00:00Z",
      cpuModel: "test",
      cores: 2,
      memoryGiB: 1,
      kernel: "6",
      node: "v20",
      nginx: "nginx/1.22.1",
      wrk: "wrk 4",
      commit: "abc",
      packages: {},
      loadAverage: [1, 2, 3],
    },
    cephVersion: "Ceph 16.2.15 (pacific)",
    gatewayStartMs: 2000,
    uploadMs: 900,
    idleStoreRssBytes: 300e6,
  };

  it("checks the 0.8× target on W1 and W2 only, beside the CPU-per-request ratio", () => {
    const markdown = renderObjectStore(run);
    expect(markdown).toMatch(
      /\| W1 whole 64 MiB file \| MiB\/s \| 0\.90× \| 3\.00× \| ≥ 0\.8× \| met \| 0\.90× \|/,
    );
    expect(markdown).toMatch(
      /\| W2 random 1 MiB ranges \| req\/s \| 0\.70× \| 3\.00× \| ≥ 0\.8× \| \*\*not met\*\* \| 0\.70× \|/,
    );
    expect(markdown).toMatch(
      /\| W3 random 10 KB ranges \| req\/s \| 0\.90× \| 3\.00× \| {2}\| {2}\| 0\.90× \|/,
    );
    expect(markdown).toContain("restarted with tcp_nodelay=1");
  });
});
