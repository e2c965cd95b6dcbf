/**
 * `reel`: what each command does with its parsed arguments. The I/O it may touch comes in as
 * `CliIo`, so the tests run it in-process; `reel.ts` hands it the real process.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "../config.js";
import { ListenError, serve } from "../serve.js";
import { type CliCommand, parseCommandLine, SERVE_FLAGS, UsageError } from "./args.js";
import type { ProgressSink } from "./progress.js";

/** The package root, the same from `src/cli/` and `dist/cli/`. */
const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
/** Where the build puts the web player (scripts/copy-player.mjs); absent in a checkout. */
export const BUNDLED_PLAYER_DIR = join(PACKAGE_DIR, "player");

/** Exit codes: 0 ok, 1 a bad setting or a failure, 2 a command line that does not parse. */
export const EXIT_USAGE = 2;

/** The process as the CLI sees it. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr: ProgressSink;
  /** Aborted on SIGINT (a download stops and keeps its `.part`). */
  signal: AbortSignal;
  /** The player to serve; `BUNDLED_PLAYER_DIR` by default. */
  playerDir?: string;
}

/**
 * Runs `reel ARGS`.
 * @returns the exit code, or `undefined` when a server is now running (it exits on a signal).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number | undefined> {
  let command: CliCommand;
  try {
    command = parseCommandLine(argv, io.env);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.stderr.write(`reel: ${error.message} (see reel --help)\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  switch (command.kind) {
    case "help":
      io.stdout(helpText(command.command));
      return 0;
    case "version":
      io.stdout(`${readVersion()}\n`);
      return 0;
    case "serve":
      return runServe(command.env, io);
    case "download": {
      // Loaded only here: the SDK is bundled into that module, and `serve` never needs it.
      const { runDownload } = await import("./download.js");
      return runDownload(command, io);
    }
  }
}

async function runServe(env: NodeJS.ProcessEnv, io: CliIo): Promise<number | undefined> {
  try {
    const config = loadConfig(env);
    const playerDir = io.playerDir ?? BUNDLED_PLAYER_DIR;
    const hasPlayer = existsSync(join(playerDir, "index.html"));
    const { url } = await serve(config, hasPlayer ? { playerDir } : {});
    io.stderr.write(
      hasPlayer
        ? `Reel: player ${url}/  API ${url}/api  docs ${url}/docs\n`
        : `Reel: API ${url}/api  docs ${url}/docs (no player in this build)\n`,
    );
    return undefined;
  } catch (error: unknown) {
    if (error instanceof ConfigError || error instanceof ListenError) {
      io.stderr.write(`reel: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** `version` of the package.json beside `dist/` (and `src/`). */
function readVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8"));
  return typeof manifest === "object" && manifest !== null && "version" in manifest
    ? String(manifest.version)
    : "unknown";
}

const SERVE_HELP = `Usage: reel serve [DIR] [options]

Serves the videos in DIR (default: $VIDEO_DIR, else the current folder): the player at /,
the API at /api, its reference at /docs, on one port.

Options (each sets the environment variable beside it; a flag wins over the variable):
${SERVE_FLAGS.map(({ flag, variable, value, help }) => `  --${`${flag} ${value}`.padEnd(28)} ${variable.padEnd(14)} ${help}`).join("\n")}
  -h, --help                     this text

Other settings come from the environment only (CHUNK_SIZE, STABLE_MS, MAX_CONNECTIONS, ...);
see the README. A bad value stops the start with one line and exit code 1.
`;

const DOWNLOAD_HELP = `Usage: reel download URL NAME [OUT]

Downloads the video NAME from the Reel at URL (e.g. http://127.0.0.1:8000) to OUT (default:
NAME in the current folder). Shows progress; an interrupted download leaves OUT.part, and the
same command resumes it (from scratch if the video changed meanwhile).

Exit codes: 0 saved, 1 failed (one line says why), 130 interrupted.
`;

const MAIN_HELP = `Usage: reel <command> [options]

Commands:
  serve [DIR]              serve a folder of videos: player, API and docs on one port
  download URL NAME [OUT]  download one video from a running Reel, resumably
  help [COMMAND]           this text, or a command's

Options:
  -h, --help               this text
  -v, --version            the version

Exit codes: 0 ok, 1 a bad setting or a failure (one line on stderr), 2 a bad command line.
Run "reel <command> --help" for a command's options.
`;

/** The help text for `command`, or the overview. */
export function helpText(command?: "serve" | "download"): string {
  if (command === "serve") {
    return SERVE_HELP;
  }
  return command === "download" ? DOWNLOAD_HELP : MAIN_HELP;
}
