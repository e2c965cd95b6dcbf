import { describe, expect, it } from "vitest";
import { nextDelay } from "./soak.js";

describe("nextDelay", () => {
  it("paces wrk when aborts fall short of a tenth of all requests", () => {
    // 900 req/s wants 100 aborts/s; only 50/s happened, so wrk should drop toward 450 req/s.
    expect(nextDelay(0, 900, 50, 256)).toBeGreaterThan(0);
  });
  it("relaxes the pause when aborts outrun their share", () => {
    expect(nextDelay(500, 450, 100, 256)).toBeLessThan(500);
  });
  it("never pauses below 0 or above 2 s", () => {
    expect(nextDelay(0, 100, 1000, 256)).toBe(0);
    expect(nextDelay(1900, 10_000, 1, 256)).toBe(2000);
  });
});
