/**
 * `reel` in-process: help and version on stdout with exit 0, one line on stderr with exit 1 for
 * a bad setting (the same words as `npm start` prints for the variable) and 2 for a bad command
 * line. Serving and downloading for real are proven by scripts/pack-test.mjs on the packed package.
 */
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { startTestServer } from "../test-support/server.js";
import { makeTempDir } from "../test-support/temp-dir.js";
import { type CliIo, runCli } from "./run.js";

const dir = makeTempDir("reel-run-");

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
      isTTY: false,
    },
    signal: new AbortController().signal,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 0;
}

describe("runCli", () => {
  it("prints the overview listing the commands, exit 0", async () => {
    const { code, stdout, stderr } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("serve [DIR]");
    expect(stdout).toContain("download URL NAME [OUT]");
  });

  it("prints serve's flags with the variables they set", async () => {
    const { code, stdout } = await run(["serve", "--help"]);
    expect(code).toBe(0);
    for (const [flag, variable] of [
      ["--port N", "PORT"],
      ["--host ADDR", "HOST"],
      ["--store s3://BUCKET[/PREFIX]", "VIDEO_STORE"],
    ]) {
      expect(stdout).toMatch(new RegExp(`${flag?.replace(/[[\]/]/g, "\\$&")}\\s+${variable}\\s`));
    }
  });

  it("prints the package's version, exit 0", async () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../package.json"), "utf8"),
    ) as { version: string }; // our own package.json
    expect(await run(["--version"])).toEqual({
      code: 0,
      stdout: `${manifest.version}\n`,
      stderr: "",
    });
  });

  it.each<{ argv: string[]; env?: NodeJS.ProcessEnv; code: number; line: string }>([
    {
      argv: ["serve", dir, "--port", "eighty"],
      code: 1,
      line: 'reel: Invalid PORT: PORT must be a whole number (got "eighty")',
    },
    {
      argv: ["serve", dir, "--port", "70000"],
      env: { PORT: "8000" },
      code: 1,
      line: 'reel: Invalid PORT: PORT must be at most 65535 (got "70000")',
    },
    {
      argv: ["serve", join(dir, "missing")],
      code: 1,
      line: `reel: Invalid VIDEO_DIR: ${join(dir, "missing")} does not exist`,
    },
    {
      argv: ["serve", "--store", "ftp://x"],
      code: 1,
      line: 'reel: Invalid VIDEO_STORE: VIDEO_STORE must look like s3://bucket or s3://bucket/prefix (bucket: 3-63 of a-z 0-9 . -) (got "ftp://x")',
    },
    {
      argv: ["serve", dir, "--tls-cert", "cert.pem"],
      code: 1,
      line: "reel: Invalid TLS_KEY: TLS_KEY must be set together with TLS_CERT",
    },
    { argv: ["serve", "--nope"], code: 2, line: "reel: Unknown option '--nope' (see reel --help)" },
    { argv: ["play"], code: 2, line: 'reel: unknown command "play" (see reel --help)' },
  ])("$argv exits $code with one line", async ({ argv, env, code, line }) => {
    const result = await run(argv, env);
    expect(result).toEqual({ code, stdout: "", stderr: `${line}\n` });
  });

  it("reports an unreachable server in one line, exit 1", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await run(["download", url, "x.mp4", join(dir, "x.mp4")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`reel: cannot reach ${url} (ECONNREFUSED)\n`);
  });

  it("saves NAME inside OUT when OUT is an existing folder", async () => {
    const videoDir = makeTempDir("reel-run-videos-");
    copyFileSync(join(SAMPLES_DIR, "sample_final.mp4"), join(videoDir, "sample_final.mp4"));
    const server = await startTestServer({ videoDir });
    try {
      const folder = join(dir, "into-folder");
      mkdirSync(folder);
      const result = await run(["download", server.baseUrl, "sample_final.mp4", folder]);
      expect(result.code).toBe(0);
      expect(
        readFileSync(join(folder, "sample_final.mp4")).equals(
          readFileSync(join(SAMPLES_DIR, "sample_final.mp4")),
        ),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });
});
