import { describe, expect, it } from "vitest";
import type { Summary } from "./stats.js";
import { checkTargets } from "./targets.js";
import { workloadById } from "./workloads.js";

const summary = (peerId: string, value: number, peakRssBytes = 50e6): Summary => ({
  peerId,
  workload: "W3",
  value,
  requestsPerSecond: value,
  p99Ms: 1,
  peakRssBytes,
  errors: 0,
  rounds: 3,
  spread: 0,
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
