import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NODE_FLAGS, withNodeFlags } from "./node-flags.js";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

// Every launcher of a Reel server process passes the same flags (see node-flags.ts for why they
// are not set from inside the process).
describe("the Node.js flags of every launcher", () => {
  it("the `reel` command's shebang", () => {
    const shebang = read("../cli/reel.ts").split("\n")[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(" ")}`);
  });

  it("`pnpm start` in packages/server", () => {
    const manifest = JSON.parse(read("../../package.json")) as { scripts: { start: string } };
    expect(manifest.scripts.start).toBe(`node ${NODE_FLAGS.join(" ")} dist/main.js`);
  });

  it("the root `npm start` (scripts/start.mjs) spawns the server with them", () => {
    expect(read("../../../../scripts/start.mjs")).toContain(
      'spawn(process.execPath, [...NODE_FLAGS, "packages/server/dist/main.js"]',
    );
  });
});

describe("withNodeFlags (a cluster worker's execArgv)", () => {
  it.each([
    { execArgv: [], expected: [...NODE_FLAGS] },
    { execArgv: ["--import", "tsx"], expected: ["--import", "tsx", ...NODE_FLAGS] },
    { execArgv: [...NODE_FLAGS, "--inspect"], expected: [...NODE_FLAGS, "--inspect"] },
  ])("$execArgv → $expected", ({ execArgv, expected }) => {
    expect(withNodeFlags(execArgv)).toEqual(expected);
  });
});
