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

describe("withRates for a workload that asks for 404s", () => {
  const summary = (requests: number, status: number) =>
    parseSummary(
      `{"requests":${requests},"bytes":0,"durationUs":1000000,` +
        `"errors":{"connect":0,"read":0,"write":0,"status":${status},"timeout":1},` +
        '"latencyUs":{"mean":1,"p50":1,"p90":1,"p99":1,"p999":1,"max":1}}',
    );
  it("counts no error when every answer was ≥ 400", () => {
    expect(withRates(summary(5000, 5000), 404).errorCount).toBe(1); // the timeout only
  });
  it("counts the answers that were not errors as failures", () => {
    expect(withRates(summary(5000, 4990), 404).errorCount).toBe(11);
  });
  it("keeps status errors as errors when no status is expected", () => {
    expect(withRates(summary(5000, 4990)).errorCount).toBe(4991);
  });
});
