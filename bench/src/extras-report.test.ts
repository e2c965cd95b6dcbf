import { describe, expect, it } from "vitest";
import {
  describePending,
  type ExtrasRun,
  type ExtrasSample,
  judgeRatio,
  renderExtras,
  renderingRatios,
  summariseExtras,
  wasRenderingThroughout,
} from "./extras-report.js";
import type { PeerDefinition } from "./peers/types.js";

const sample = (
  condition: ExtrasSample["condition"],
  round: number,
  requestsPerSecond: number,
  pending: [number, number] | null = condition === "rendering" ? [21, 20] : null,
): ExtrasSample => ({
  condition,
  round,
  requestsPerSecond,
  p99Ms: condition === "idle" ? 20 : 30,
  peakRssBytes: 130e6 + round * 1e6,
  errors: 0,
  cpu: {
    server: 0.98,
    ffmpeg: condition === "idle" ? 0 : 0.02,
    client: 0.2,
    serverCoreBusy: 1,
    clientCoreBusy: 0.3,
  },
  pendingAtStart: pending?.[0] ?? null,
  pendingAtEnd: pending?.[1] ?? null,
});

const reel: PeerDefinition = {
  id: "reel",
  name: "Reel",
  description: "Reel",
  start: () => Promise.reject(new Error("not started in this test")),
};

function runOf(samples: ExtrasSample[]): ExtrasRun {
  return {
    command: "pnpm bench --extras",
    isQuick: false,
    rounds: 3,
    warmupSeconds: 3,
    durationSeconds: 10,
    serverCpu: 1,
    clientCpu: 0,
    videoCount: 20,
    videoDescription: "24 s clips",
    ffmpegVersion: "ffmpeg 5.1",
    loadAtStart: [9.5, 8, 7],
    peer: reel,
    verification: undefined,
    summaries: summariseExtras(samples),
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
      loadAverage: [10.2, 9, 8],
    },
  };
}

describe("summariseExtras", () => {
  const summaries = summariseExtras([
    sample("idle", 0, 10_000),
    sample("rendering", 0, 8000),
    sample("rendering", 1, 9000, [15, 0]),
    sample("idle", 1, 11_000),
    sample("idle", 2, 9000),
    sample("rendering", 2, 7000),
  ]);
  const idle = summaries.find((s) => s.condition === "idle");
  const rendering = summaries.find((s) => s.condition === "rendering");

  it("takes medians per condition, and the largest peak RSS beside the median", () => {
    expect(idle?.requestsPerSecond).toBe(10_000);
    expect(idle?.spread).toBeCloseTo(0.2);
    expect(rendering?.requestsPerSecond).toBe(8000);
    expect(rendering?.peakRssBytes).toBe(131e6);
    expect(rendering?.maxPeakRssBytes).toBe(132e6);
  });

  it("keeps the queue's length per round and counts the rounds it ran dry", () => {
    expect(rendering?.pending).toEqual([
      [21, 20],
      [15, 0],
      [21, 20],
    ]);
    expect(rendering?.roundsNotRenderingThroughout).toBe(1);
    expect(idle?.roundsNotRenderingThroughout).toBe(0);
  });

  it("divides rendering by idle for req/s and p99", () => {
    const ratios = renderingRatios(summaries);
    expect([ratios.requests, ratios.p99]).toEqual([0.8, 1.5]);
  });

  it("compares Reel's CPU per request, idle ÷ rendering", () => {
    // 98 % of a core at 10,000 and at 8,000 req/s: 98 and 122.5 µs per request.
    expect(idle?.serverCpuUsPerRequest).toBeCloseTo(98);
    expect(rendering?.serverCpuUsPerRequest).toBeCloseTo(122.5);
    expect(renderingRatios(summaries).cpuPerRequest).toBeCloseTo(0.8);
  });

  it("gives NaN ratios when a condition was not measured", () => {
    const ratios = renderingRatios(summariseExtras([sample("idle", 0, 10_000)]));
    expect(ratios.requests).toBeNaN();
    expect(ratios.p99).toBeNaN();
  });
});

describe("wasRenderingThroughout", () => {
  it("needs renders pending at both ends of the timed run", () => {
    expect(wasRenderingThroughout(sample("rendering", 0, 1, [3, 1]))).toBe(true);
    expect(wasRenderingThroughout(sample("rendering", 0, 1, [3, 0]))).toBe(false);
    expect(wasRenderingThroughout(sample("idle", 0, 1))).toBe(false);
  });
});

describe("judgeRatio", () => {
  it("meets the 0.7× target at exactly 0.7×", () => {
    expect(judgeRatio(0.7)).toBe("met");
  });

  it("marks a ratio below it in bold", () => {
    expect(judgeRatio(0.69)).toBe("**not met**");
  });

  it("says n/a when there is no ratio", () => {
    expect(judgeRatio(Number.NaN)).toBe("n/a");
  });
});

describe("describePending", () => {
  it("shows start → end per round, ⚠ where the queue was empty at one end, off without extras", () => {
    expect(
      describePending([
        [21, 20],
        [4, 0],
        [null, null],
      ]),
    ).toBe("21 → 20, 4 → 0 ⚠, off");
  });
});

describe("renderExtras", () => {
  it("reports the ratio against the target, both p99s and the peak RSS", () => {
    const markdown = renderExtras(runOf([sample("idle", 0, 10_000), sample("rendering", 0, 6000)]));
    expect(markdown).toContain(
      "| random 10 KB ranges, 64 connections | 0.60× | ≥ 0.7× | **not met** | 20.0 | 30.0 | 1.50× | 0.60× | 130 / 130 |",
    );
    expect(markdown).toMatch(
      /\| rendering \(20 clips \+ the W3 file queued\) \| 6000 \| 30\.0 \| 130 \(130\) \| 98 % \| 163 \| 2 % \|/,
    );
  });

  it("records the load at the start and at the end", () => {
    const markdown = renderExtras(runOf([sample("idle", 0, 10_000)]));
    expect(markdown).toContain("| load at the start | 9.5 / 8.0 / 7.0 (when these rows began) |");
    expect(markdown).toContain("| load at the end | 10.2 / 9.0 / 8.0");
  });

  it("says so in the row when rendering finished before the end of a timed run", () => {
    const markdown = renderExtras(
      runOf([sample("idle", 0, 10_000), sample("rendering", 0, 9000, [2, 0])]),
    );
    expect(markdown).toContain(
      "(rendering finished early in 1 of 1 rounds ⚠) | 0.90× | ≥ 0.7× | met |",
    );
  });
});
