import { describe, expect, it } from "vitest";
import { type Options, parseOptions } from "./options.js";

function parse(argv: string[]): Options {
  const options = parseOptions(argv);
  if (options === "help") {
    throw new Error("unexpected --help");
  }
  return options;
}

describe("parseOptions: the object-store rows", () => {
  it("selects the mode, with the gateway on the load generator's core and TCP_NODELAY", () => {
    const options = parse(["--object-store"]);
    expect(options.mode).toBe("object-store");
    expect(options.storeCpu).toBe(0);
    expect(options.storeNoDelay).toBe(true);
    expect([options.storeWarmupSeconds, options.storeDurationSeconds]).toEqual([3, 10]);
  });

  it("keeps the rows of a quick run to 1 s each without warm-up", () => {
    const options = parse(["--quick"]);
    expect(options.mode).toBe("compare");
    expect([options.warmupSeconds, options.durationSeconds]).toEqual([1, 2]);
    expect([options.storeWarmupSeconds, options.storeDurationSeconds]).toEqual([0, 1]);
  });

  it("lets --duration and --warmup set them too", () => {
    const options = parse(["--object-store", "--quick", "--duration", "3", "--warmup", "1"]);
    expect([options.storeWarmupSeconds, options.storeDurationSeconds]).toEqual([1, 3]);
  });

  it("leaves the gateway unpinned with --store-cpu any, and Nagle on with --store-nagle", () => {
    const options = parse(["--object-store", "--store-cpu", "any", "--store-nagle"]);
    expect(options.storeCpu).toBeUndefined();
    expect(options.storeNoDelay).toBe(false);
  });

  it("refuses two modes at once", () => {
    expect(() => parse(["--object-store", "--soak"])).toThrow(/choose one/);
  });
});

describe("parseOptions: the extras rows", () => {
  it("selects the mode with the usual rounds and durations", () => {
    const options = parse(["--extras"]);
    expect(options.mode).toBe("extras");
    expect([options.rounds, options.warmupSeconds, options.durationSeconds]).toEqual([3, 3, 10]);
  });

  it("refuses it beside another mode", () => {
    expect(() => parse(["--extras", "--http2"])).toThrow(/choose one/);
  });
});

describe("parseOptions: W404 and the all-cores rows", () => {
  it("time them like the comparison in a full run", () => {
    const options = parse([]);
    expect(options.workloads.map((w) => w.id)).toContain("W404");
    expect([options.briefWarmupSeconds, options.briefDurationSeconds]).toEqual([3, 10]);
  });

  it("keep them to 1 s without warm-up in a quick run", () => {
    const options = parse(["--quick"]);
    expect([options.briefWarmupSeconds, options.briefDurationSeconds]).toEqual([0, 1]);
  });

  it("takes W404 by name", () => {
    expect(parse(["--workloads", "w404"]).workloads.map((w) => w.id)).toEqual(["W404"]);
  });
});
