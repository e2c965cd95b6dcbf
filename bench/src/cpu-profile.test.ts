import { describe, expect, it } from "vitest";
import { parseCpuProfile, summariseProfile } from "./cpu-profile.js";

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
const profile = JSON.stringify({
  nodes: [
    { id: 1, callFrame: frame("(idle)", "") },
    {
      id: 2,
      callFrame: frame(
        "dispatch",
        "file:///x/node_modules/.pnpm/koa-compose@4.1.0/node_modules/koa-compose/index.js",
      ),
    },
    { id: 3, callFrame: frame("respond", "file:///repo/packages/server/dist/routes/video.js") },
    { id: 4, callFrame: frame("close", "") },
  ],
  samples: [1, 2, 3, 3, 4, 4, 4],
  timeDeltas: [1000, 100, 200, 200, 300, 300, 300],
});

describe("summariseProfile", () => {
  const summary = summariseProfile(parseCpuProfile(profile));

  it("leaves idle time out of the busy total", () => {
    expect(summary.idleMs).toBe(1);
    expect(summary.busyMs).toBeCloseTo(1.4);
  });
  it("ranks functions by self time, with a short location", () => {
    expect(summary.functions[0]?.name).toBe("close ");
    expect(summary.functions[1]?.name).toBe("respond packages/server/dist/routes/video.js:10");
  });
  it("groups frames by package", () => {
    const names = summary.packages.map((row) => row.name);
    expect(names).toEqual(["(native / V8 builtins)", "reel (packages/server)", "koa-compose"]);
    expect(summary.packages[0]?.share).toBeCloseTo(0.9 / 1.4);
  });
  it("refuses a file that is not a V8 profile", () => {
    expect(() => parseCpuProfile('{"nodes":[]}')).toThrow(/not a V8 cpu profile/);
  });
});
