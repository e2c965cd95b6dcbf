import { describe, expect, it } from "vitest";
import {
  type CellCpu,
  generatorBoundBy,
  generatorBusy,
  isGeneratorBound,
  summariseCpu,
} from "./cell-cpu.js";
import type { Sample } from "./stats.js";

const sample = (rate: number, cpu: Sample["cpu"]): Sample => ({
  peerId: "reel",
  workload: "W3",
  round: 0,
  value: rate,
  requestsPerSecond: rate,
  p99Ms: 1,
  peakRssBytes: 1,
  errors: 0,
  ...(cpu === undefined ? {} : { cpu }),
});

describe("summariseCpu", () => {
  it("takes medians of the shares and of the server's µs per request", () => {
    const cpu = summariseCpu([
      sample(10_000, { server: 1, client: 0.3, clientCoreBusy: 0.35 }),
      sample(8_000, { server: 0.96, client: 0.25, clientCoreBusy: 0.3 }),
      sample(12_000, { server: 0.9, client: 0.4, clientCoreBusy: 0.5 }),
    ]);
    expect(cpu).toMatchObject({
      server: 0.96,
      client: 0.3,
      clientCoreBusy: 0.35,
      clientThreads: 1,
    });
    // 100, 120 and 75 µs per request: the median is 100.
    expect(cpu?.serverUsPerRequest).toBeCloseTo(100);
  });

  it("is undefined when no round was metered", () => {
    expect(summariseCpu([sample(1, undefined)])).toBeUndefined();
  });
});

describe("the generator-bound rule", () => {
  const cell = (extra: Partial<CellCpu>): CellCpu => ({
    server: 0.5,
    client: 0.5,
    clientThreads: 1,
    clientCoreBusy: undefined,
    serverCoreBusy: undefined,
    allCoresBusy: undefined,
    serverUsPerRequest: 50,
    ...extra,
  });

  it("with wrk pinned, marks a cell whose generator core was above 90 % busy", () => {
    expect(isGeneratorBound(cell({ client: 0.7, clientCoreBusy: 0.93 }))).toBe(true);
    expect(isGeneratorBound(cell({ client: 0.7, clientCoreBusy: 0.9 }))).toBe(false);
  });

  it("unpinned, judges wrk's own CPU per thread", () => {
    const twoThreads = cell({ client: 1.7, clientThreads: 2, allCoresBusy: 1 });
    expect(generatorBusy(twoThreads)).toBeCloseTo(0.85);
    expect(isGeneratorBound(twoThreads)).toBe(false);
    expect(isGeneratorBound(cell({ client: 1.9, clientThreads: 2 }))).toBe(true);
  });

  it("says whether wrk or other work filled the generator's core", () => {
    expect(generatorBoundBy(cell({ client: 0.8, clientCoreBusy: 0.95 }))).toBe("wrk");
    expect(generatorBoundBy(cell({ client: 0.1, clientCoreBusy: 1 }))).toBe("other work");
    expect(generatorBoundBy(cell({ client: 0.1, clientCoreBusy: 0.5 }))).toBeUndefined();
  });

  it("marks nothing that was not metered", () => {
    expect(isGeneratorBound(undefined)).toBe(false);
  });
});
