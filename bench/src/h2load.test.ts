import { describe, expect, it } from "vitest";
import { parseH2load, toMs } from "./h2load.js";

// Trimmed from a real `h2load -t1 -c1 -m64 -D 2` run against Reel (nghttp2 1.52).
const OUTPUT = `starting benchmark...
spawning thread #0: 1 total client(s). Timing-based test with 0s of warm-up time and 2s of main duration for measurements.
TLS Protocol: TLSv1.3
Cipher: TLS_AES_256_GCM_SHA384
Server Temp Key: X25519 253 bits
Application protocol: h2

finished in 2.00s, 809.50 req/s, 7.77MB/s
requests: 1619 total, 1683 started, 1619 done, 1619 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 1619 2xx, 0 3xx, 2 4xx, 0 5xx
traffic: 15.53MB (16288905) total, 53.88KB (55168) headers (space savings 86.74%), 15.44MB (16190000) data
                     min         max         mean         sd        +/- sd
time for request:    14.06ms    369.55ms     77.70ms     89.79ms    88.14%
time for connect:     4.70ms      4.70ms      4.70ms         0us   100.00%
`;

describe("parseH2load", () => {
  it("reads the protocol, rate, errors and latency of a run", () => {
    expect(parseH2load(OUTPUT)).toEqual({
      protocol: "h2",
      requestsPerSecond: 809.5,
      succeeded: 1619,
      errors: 2, // the 4xx answers
      meanLatencyMs: 77.7,
      maxLatencyMs: 369.55,
    });
  });

  it("refuses output without a summary", () => {
    expect(() => parseH2load("starting benchmark...\n")).toThrow(/unexpected h2load output/);
  });
});

describe("toMs", () => {
  it.each([
    ["923us", 0.923],
    ["14.06ms", 14.06],
    ["1.5s", 1500],
  ])("converts %s", (text, ms) => {
    expect(toMs(text)).toBeCloseTo(ms);
  });
});
