import { describe, expect, it } from "vitest";
import { median, ratioToPeer, type Sample, summarise } from "./stats.js";

const sample = (peerId: string, value: number, round: number): Sample => ({
  peerId,
  workload: "W3",
  round,
  value,
  requestsPerSecond: value,
  p99Ms: value / 100,
  peakRssBytes: value * 1000,
  errors: round === 0 ? 1 : 0,
});

describe("median", () => {
  it("takes the middle value of an odd count, whatever the order", () => {
    expect(median([30, 10, 20])).toBe(20);
  });
  it("averages the middle two of an even count", () => {
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });
  it("is NaN for no values", () => {
    expect(median([])).toBeNaN();
  });
});

describe("summarise", () => {
  const summaries = summarise([
    sample("reel", 300, 0),
    sample("reel", 100, 1),
    sample("reel", 200, 2),
    sample("send", 100, 0),
    sample("send", 100, 1),
    sample("send", 100, 2),
  ]);

  it("reports the median of each figure per server and workload", () => {
    const reel = summaries.find((s) => s.peerId === "reel");
    expect(reel).toMatchObject({ value: 200, p99Ms: 2, peakRssBytes: 200_000, rounds: 3 });
  });
  it("adds up errors over the rounds instead of taking their median", () => {
    expect(summaries.find((s) => s.peerId === "reel")?.errors).toBe(1);
  });
  it("gives the spread of the rounds relative to the median", () => {
    expect(summaries.find((s) => s.peerId === "reel")?.spread).toBe(1);
  });
  it("divides Reel's median by the peer's for the ratio", () => {
    expect(ratioToPeer(summaries, "send", "W3")).toBe(2);
  });
  it("has no ratio for a peer that was not measured", () => {
    expect(ratioToPeer(summaries, "nginx", "W3")).toBeNaN();
  });
});
