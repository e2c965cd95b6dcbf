/** `reel`'s command line as data: flags over the environment, and one-line usage errors. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { makeTempDir } from "../test-support/temp-dir.js";
import { type CliCommand, parseCommandLine, UsageError } from "./args.js";

const dir = makeTempDir("reel-args-");

describe("parseCommandLine", () => {
  describe("when serving", () => {
    it.each<{ name: string; argv: string[]; env: NodeJS.ProcessEnv; expected: NodeJS.ProcessEnv }>([
      { name: "DIR sets VIDEO_DIR", argv: ["serve", dir], env: {}, expected: { VIDEO_DIR: dir } },
      {
        name: "DIR wins over VIDEO_DIR",
        argv: ["serve", dir],
        env: { VIDEO_DIR: "/elsewhere" },
        expected: { VIDEO_DIR: dir },
      },
      {
        name: "no DIR keeps VIDEO_DIR",
        argv: ["serve"],
        env: { VIDEO_DIR: dir },
        expected: { VIDEO_DIR: dir },
      },
      {
        name: "no DIR and no VIDEO_DIR serves the current folder",
        argv: ["serve"],
        env: {},
        expected: { VIDEO_DIR: "." },
      },
      {
        name: "--port wins over PORT",
        argv: ["serve", dir, "--port", "9001"],
        env: { PORT: "8000" },
        expected: { PORT: "9001" },
      },
      {
        name: "--port=N works as well",
        argv: ["serve", "--port=9002", dir],
        env: {},
        expected: { PORT: "9002", VIDEO_DIR: dir },
      },
      {
        name: "--host wins over HOST",
        argv: ["serve", dir, "--host", "0.0.0.0"],
        env: { HOST: "::1" },
        expected: { HOST: "0.0.0.0" },
      },
      {
        name: "--workers wins over WORKERS",
        argv: ["serve", dir, "--workers", "1"],
        env: { WORKERS: "4" },
        expected: { WORKERS: "1" },
      },
      {
        name: "--store sets VIDEO_STORE",
        argv: ["serve", "--store", "s3://videos/library"],
        env: {},
        expected: { VIDEO_STORE: "s3://videos/library" },
      },
      {
        name: "the environment stays where no flag says otherwise",
        argv: ["serve", dir, "--log-level", "warn"],
        env: { PORT: "8123", CHUNK_SIZE: "4096" },
        expected: { PORT: "8123", CHUNK_SIZE: "4096", LOG_LEVEL: "warn" },
      },
    ])("$name", ({ argv, env, expected }) => {
      const command = parseCommandLine(argv, env);
      expect(command.kind).toBe("serve");
      expect(command.kind === "serve" ? command.env : {}).toMatchObject(expected);
    });

    it("hands loadConfig values it turns into the config, flags first", () => {
      const command = parseCommandLine(["serve", dir, "--port", "9003", "--host", "0.0.0.0"], {
        PORT: "8000",
      });
      const config = loadConfig(command.kind === "serve" ? command.env : {});
      expect(config).toMatchObject({ port: 9003, host: "0.0.0.0", videoDir: dir });
    });

    it("leaves the caller's environment alone", () => {
      const env = { PORT: "8000" };
      parseCommandLine(["serve", dir, "--port", "9004"], env);
      expect(env).toEqual({ PORT: "8000" });
    });
  });

  describe("when asked for help, the version or a download", () => {
    it.each<{ argv: string[]; expected: CliCommand }>([
      { argv: [], expected: { kind: "help" } },
      { argv: ["--help"], expected: { kind: "help" } },
      { argv: ["-h"], expected: { kind: "help" } },
      { argv: ["help", "serve"], expected: { kind: "help", command: "serve" } },
      { argv: ["serve", "--help"], expected: { kind: "help", command: "serve" } },
      { argv: ["download", "-h"], expected: { kind: "help", command: "download" } },
      { argv: ["--version"], expected: { kind: "version" } },
      { argv: ["-v"], expected: { kind: "version" } },
      {
        argv: ["download", "http://127.0.0.1:8000", "a.mp4"],
        expected: { kind: "download", url: "http://127.0.0.1:8000", name: "a.mp4", out: "a.mp4" },
      },
      {
        argv: ["download", "http://h:1/", "a.mp4", "/tmp/b.mp4"],
        expected: { kind: "download", url: "http://h:1/", name: "a.mp4", out: "/tmp/b.mp4" },
      },
    ])("$argv", ({ argv, expected }) => {
      expect(parseCommandLine(argv, {})).toEqual(expected);
    });
  });

  describe("when the command line does not parse", () => {
    it.each<{ argv: string[]; message: string }>([
      { argv: ["frob"], message: 'unknown command "frob"' },
      { argv: ["--frob"], message: "unknown option --frob" },
      { argv: ["serve", "--frob"], message: "Unknown option '--frob'" },
      { argv: ["serve", "--port"], message: "Option '--port <value>' argument missing" },
      { argv: ["serve", "a", "b"], message: "serve takes one DIR, got 2" },
      {
        argv: ["download", "http://h:1"],
        message: "download needs a URL and a NAME: reel download URL NAME [OUT]",
      },
      {
        argv: ["download", "h:1", "a.mp4"],
        message: 'URL must be an http:// or https:// address, not "h:1"',
      },
      {
        argv: ["download", "http://h:1", "a", "b", "c"],
        message: "download takes URL NAME [OUT], got 4 arguments",
      },
    ])("$argv → $message", ({ argv, message }) => {
      let thrown: unknown;
      try {
        parseCommandLine(argv, {});
      } catch (error: unknown) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UsageError);
      expect(thrown instanceof UsageError ? thrown.message : "").toBe(message);
    });
  });
});
