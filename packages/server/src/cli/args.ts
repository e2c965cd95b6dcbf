/**
 * `reel`'s command line as data: pure, no I/O. Every `serve` flag names an environment variable,
 * and the flags are written over the environment (flags win) before the one zod config parses
 * it, so a bad `--port` fails exactly like a bad `PORT` (config.ts).
 */
import { parseArgs } from "node:util";

/** A `serve` flag and the variable it sets. */
interface ServeFlag {
  flag: string;
  variable: string;
  value: string;
  help: string;
}

/** The `serve` flags, in `--help` order. */
export const SERVE_FLAGS = [
  { flag: "port", variable: "PORT", value: "N", help: "listen port (default 8000; 0 picks one)" },
  { flag: "host", variable: "HOST", value: "ADDR", help: "listen address (default 127.0.0.1)" },
  {
    flag: "store",
    variable: "VIDEO_STORE",
    value: "s3://BUCKET[/PREFIX]",
    help: "serve a bucket, not DIR (S3_ENDPOINT, AWS_* from env)",
  },
  {
    flag: "cors-origins",
    variable: "CORS_ORIGINS",
    value: "LIST",
    help: "other origins allowed to call the API, comma separated",
  },
  {
    flag: "cache-control",
    variable: "CACHE_CONTROL",
    value: "VALUE",
    help: "Cache-Control of video responses (default no-cache)",
  },
  {
    flag: "log-level",
    variable: "LOG_LEVEL",
    value: "LEVEL",
    help: "fatal, error, warn, info (default), debug, trace or silent",
  },
  {
    flag: "tls-cert",
    variable: "TLS_CERT",
    value: "FILE",
    help: "PEM certificate: HTTPS + HTTP/2",
  },
  { flag: "tls-key", variable: "TLS_KEY", value: "FILE", help: "PEM private key of --tls-cert" },
  {
    flag: "workers",
    variable: "WORKERS",
    value: "N",
    help: "processes serving the port (default: one per CPU; 1: one process)",
  },
] as const satisfies readonly ServeFlag[];

/** What the command line asks for. */
export type CliCommand =
  | { kind: "help"; command?: "serve" | "download" }
  | { kind: "version" }
  /** `env`: the environment with the flags written over it, ready for `loadConfig`. */
  | { kind: "serve"; env: NodeJS.ProcessEnv }
  | { kind: "download"; url: string; name: string; out: string };

/** A command line that does not parse: `message` is one line, the exit code is 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

type ServeFlagName = (typeof SERVE_FLAGS)[number]["flag"];

// fromEntries cannot know its keys; they are exactly the table's `flag`s.
const SERVE_OPTIONS = Object.fromEntries(
  SERVE_FLAGS.map(({ flag }) => [flag, { type: "string" as const }]),
) as Record<ServeFlagName, { type: "string" }>;

/**
 * Parses `argv` (without `node` and the script) against `env`.
 * @throws {UsageError} for an unknown command or flag, a missing value or a stray argument.
 */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "-h":
    case "--help":
      return rest[0] === "serve" || rest[0] === "download"
        ? { kind: "help", command: rest[0] }
        : { kind: "help" };
    case "-v":
    case "--version":
    case "version":
      return { kind: "version" };
    case "serve":
      return parseServe(rest, env);
    case "download":
      return parseDownload(rest);
    default:
      throw new UsageError(
        command.startsWith("-")
          ? `unknown option ${command}`
          : `unknown command ${JSON.stringify(command)}`,
      );
  }
}

function parseServe(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values, positionals } = parse(argv, {
    ...SERVE_OPTIONS,
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) {
    return { kind: "help", command: "serve" };
  }
  if (positionals.length > 1) {
    throw new UsageError(`serve takes one DIR, got ${positionals.length}`);
  }
  const overrides: NodeJS.ProcessEnv = {};
  for (const { flag, variable } of SERVE_FLAGS) {
    const value = values[flag];
    if (typeof value === "string") {
      overrides[variable] = value;
    }
  }
  // Without DIR, VIDEO_DIR if set, else the current folder (never the repo's samples: an
  // installed package has none).
  const dir = positionals[0] ?? (env.VIDEO_DIR ? env.VIDEO_DIR : ".");
  return { kind: "serve", env: { ...env, VIDEO_DIR: dir, ...overrides } };
}

function parseDownload(argv: string[]): CliCommand {
  const { values, positionals } = parse(argv, { help: { type: "boolean", short: "h" } });
  if (values.help === true) {
    return { kind: "help", command: "download" };
  }
  const [url, name, out, ...extra] = positionals;
  if (url === undefined || name === undefined) {
    throw new UsageError("download needs a URL and a NAME: reel download URL NAME [OUT]");
  }
  if (extra.length > 0) {
    throw new UsageError(`download takes URL NAME [OUT], got ${positionals.length} arguments`);
  }
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`URL must be an http:// or https:// address, not ${JSON.stringify(url)}`);
  }
  return { kind: "download", url, name, out: out ?? name };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** `parseArgs`, strict, its errors turned into one-line `UsageError`s. */
function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(message?.replace(/\. To specify a positional.*$/, "") ?? "bad arguments");
  }
}
