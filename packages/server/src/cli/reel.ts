#!/usr/bin/env -S node --max-semi-space-size=2
/**
 * The `reel` command (package.json `bin`): the real process handed to `runCli`. The shebang carries
 * `NODE_FLAGS` (runtime/node-flags.ts; `env -S` splits them, Linux and macOS).
 */
import { runCli } from "./run.js";

const interrupt = new AbortController();
// A download stops and keeps its `.part`; `serve` installs its own handlers, which win.
process.once("SIGINT", () => interrupt.abort());

runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
  signal: interrupt.signal,
}).then(
  (code) => {
    if (code !== undefined) {
      process.exitCode = code;
    }
  },
  (error: unknown) => {
    process.stderr.write(`reel: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
