import { describe, expect, it } from "vitest";
import type { Summary } from "./stats.js";
import { checkIssue17Targets, checkTargets } from "./targets.js";
import { workloadById } from "./workloads.js";

const summary = (
  peerId: string,
  value: number,
  peakRssBytes = 50e6,
  workload: Summary["workload"] = "W3",
): Summary => ({
  peerId,
  workload,
  value,
  requestsPerSecond: value,
  p99Ms: 1,
  peakRssBytes,
  errors: 0,
  rounds: 3,
  spread: 0,
  min: value,
  max: value,
});

describe("checkTargets", () => {
  it("meets W3 against send at 1.0× and misses @fastify/static below 1.5×", () => {
    const rows = checkTargets(
      [summary("reel", 1400, 160e6), summary("send", 1400), summary("fastify", 1000)],
      [workloadById("W3")],
    );
    expect(rows.find((r) => r.what === "W3: Reel ÷ send")?.isMet).toBe(true);
    expect(rows.find((r) => r.what === "W3: Reel ÷ @fastify/static")?.isMet).toBe(false);
    expect(rows.find((r) => r.what === "W3: Reel peak RSS")).toMatchObject({
      measured: "160 MB",
      isMet: false,
    });
  });
  it("leaves a target open when its peer was not measured", () => {
    const rows = checkTargets([summary("reel", 1400)], [workloadById("W3")]);
    expect(rows.find((r) => r.what === "W3: Reel ÷ send")).toMatchObject({
      measured: "n/a",
      isMet: undefined,
    });
  });
});

describe("checkIssue17Targets", () => {
  const cell = (peerId: string, workload: Summary["workload"], value: number, extra = {}) => ({
    ...summary(peerId, value, 80e6, workload),
    ...extra,
  });
  const oneCore = [
    cell("reel", "W2", 1500),
    cell("nginx", "W2", 1529),
    cell("reel", "W3", 16_000, { p99Ms: 9.5 }),
    cell("nginx", "W3", 39_651, {
      cpu: {
        server: 0.8,
        client: 0.97,
        clientThreads: 1,
        clientCoreBusy: 0.99,
        serverCoreBusy: 0.8,
        allCoresBusy: 0.9,
        serverUsPerRequest: 20,
      },
    }),
    cell("reel", "W404", 18_000, { peakRssBytes: 120e6 }),
    cell("node-http", "W404", 21_845),
  ];
  const rows = checkIssue17Targets(oneCore, [
    cell("reel", "W3", 15_000),
    cell("nginx", "W3", 40_000),
  ]);
  const row = (what: string) => rows.find((r) => r.what === what);

  it("checks W2 against nginx at 1.0×", () => {
    expect(row("W2: Reel ÷ nginx")).toMatchObject({ measured: "0.98×", isMet: false });
  });
  it("checks W3 against nginx at 0.4× and notes a generator-bound nginx", () => {
    expect(row("W3: Reel ÷ nginx")).toMatchObject({
      measured: "0.40×",
      isMet: true,
      note: "⚑ nginx generator-bound",
    });
  });
  it("marks with † a generator core that other work filled", () => {
    const busy = {
      server: 0.4,
      client: 0.05,
      clientThreads: 1,
      clientCoreBusy: 1,
      serverCoreBusy: 1,
      allCoresBusy: 1,
      serverUsPerRequest: 100,
    };
    const shared = checkIssue17Targets(
      [cell("reel", "W4", 4000, { cpu: busy }), cell("nginx", "W4", 20_000)],
      undefined,
    );
    expect(shared.find((r) => r.what === "W4: Reel ÷ nginx")?.note).toBe("⚑ Reel† generator-bound");
  });
  it("checks 404s against the bare node:http handler at 0.8×", () => {
    expect(row("W404: Reel ÷ node:http")).toMatchObject({ measured: "0.82×", isMet: true });
  });
  it("checks Reel's W3 p99 against 10 ms", () => {
    expect(row("W3: Reel p99 at 64 connections")).toMatchObject({
      measured: "9.5 ms",
      isMet: true,
    });
  });
  it("checks peak RSS of W2–W4 against 100 MB, not W404's", () => {
    expect(row("W3: Reel peak RSS")).toMatchObject({ measured: "80 MB", isMet: true });
    expect(row("W404: Reel peak RSS")).toBeUndefined();
  });
  it("checks W3 on all cores against nginx with worker_processes auto", () => {
    expect(row("all cores, W3: Reel ÷ nginx")).toMatchObject({ measured: "0.38×", isMet: false });
  });
  it("leaves the all-cores row open when the rows did not run, and W4 when not measured", () => {
    const open = checkIssue17Targets(oneCore, undefined);
    expect(open.find((r) => r.what === "all cores, W3: Reel ÷ nginx")?.isMet).toBeUndefined();
    expect(open.find((r) => r.what === "W4: Reel ÷ nginx")?.measured).toBe("n/a");
  });
});
