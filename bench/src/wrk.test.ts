import { describe, expect, it } from "vitest";
import { parseSummary, withRates } from "./wrk.js";

const line =
  '{"requests":2000,"bytes":20971520,"durationUs":2000000,' +
  '"errors":{"connect":0,"read":1,"write":0,"status":2,"timeout":0},' +
  '"latencyUs":{"mean":1500.5,"p50":1000,"p90":2000,"p99":5000,"p999":9000,"max":12000}}';

describe("parseSummary", () => {
  it("reads the JSON line printed by lua/range.lua's done()", () => {
    expect(parseSummary(line).latencyUs.p99).toBe(5000);
  });
  it("refuses output of another shape", () => {
    expect(() => parseSummary('{"requests":"many"}')).toThrow(/unexpected wrk summary/);
  });
});

describe("withRates", () => {
  const result = withRates(parseSummary(line));
  it("derives req/s and MiB/s from the duration", () => {
    expect(result.requestsPerSecond).toBe(1000);
    expect(result.mibPerSecond).toBe(10);
  });
  it("counts every kind of error", () => {
    expect(result.errorCount).toBe(3);
  });
});
