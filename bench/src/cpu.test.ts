import { describe, expect, it } from "vitest";
import { busyShares, meanBusy, parseCpuTicks, readCoreTimes } from "./cpu.js";

describe("parseCpuTicks", () => {
  it("adds utime and stime, counting fields after the command name", () => {
    // Fields 14 and 15 are 700 and 50; the comm holds a space and a parenthesis.
    const stat =
      "4242 (node (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 700 50 0 0 20 0 11 0 100 0";
    expect(parseCpuTicks(stat)).toBe(750);
  });

  it("throws on a line it cannot read", () => {
    expect(() => parseCpuTicks("4242 (node) S 1")).toThrow(/unexpected/);
  });
});

describe("core busy shares", () => {
  const before = readCoreTimes(
    ["cpu  10 0 10 80 0 0 0 0 0 0", "cpu0 5 0 5 40 0 0 0 0 0 0", "cpu1 5 0 5 40 0 0 0 0 0 0"].join(
      "\n",
    ),
  );

  it("counts everything but idle and iowait as busy, steal included", () => {
    const after = readCoreTimes(
      ["cpu0 55 0 15 40 0 0 0 30 0 0", "cpu1 5 0 5 130 10 0 0 0 0 0"].join("\n"),
    );
    const shares = busyShares(before, after);
    expect(shares.get(0)).toBe(1); // 90 ticks, all busy (user, system, steal)
    expect(shares.get(1)).toBe(0); // 100 ticks idle or waiting on I/O
  });
});

describe("meanBusy", () => {
  it("averages the cores' busy shares", () => {
    expect(
      meanBusy(
        new Map([
          [0, 1],
          [1, 0.5],
        ]),
      ),
    ).toBe(0.75);
  });
});
