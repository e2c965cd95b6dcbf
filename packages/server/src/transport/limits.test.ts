import { describe, expect, it } from "vitest";
import { checkingIntervalFor, http1TimeoutOptions } from "./limits.js";

const DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxConnections: 10_000,
};

describe("checkingIntervalFor", () => {
  it("sweeps every second for the default 10 s headers deadline", () => {
    expect(checkingIntervalFor(DEFAULTS)).toBe(1000);
  });

  it("sweeps four times per deadline when the shortest deadline is under 4 s", () => {
    expect(checkingIntervalFor({ ...DEFAULTS, headersTimeoutMs: 2000 })).toBe(500);
  });

  it("never sweeps more often than every 50 ms", () => {
    expect(checkingIntervalFor({ ...DEFAULTS, headersTimeoutMs: 100, requestTimeoutMs: 100 })).toBe(
      50,
    );
  });
});

describe("http1TimeoutOptions", () => {
  it("maps each limit to the Node option of the same meaning", () => {
    expect(http1TimeoutOptions(DEFAULTS)).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 65_000,
      connectionsCheckingInterval: 1000,
    });
  });
});
