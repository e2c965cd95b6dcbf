import { describe, expect, it } from "vitest";
import { timeAtPointer } from "./pointer-time";

describe("timeAtPointer", () => {
  const bar = { left: 100, width: 400 };

  it.each([
    [100, 0],
    [200, 15],
    [300, 30],
    [400, 45],
    [500, 60],
    [50, 0],
    [650, 60],
  ])("at x = %s over a 60 s bar from 100 to 500 → %s s", (x, seconds) => {
    expect(timeAtPointer(x, bar, 60)).toBe(seconds);
  });

  it.each([
    ["a bar with no width", { left: 0, width: 0 }, 60],
    ["an unknown duration", bar, Number.NaN],
    ["a zero duration", bar, 0],
  ])("is null for %s", (_what, box, duration) => {
    expect(timeAtPointer(300, box, duration)).toBeNull();
  });
});
