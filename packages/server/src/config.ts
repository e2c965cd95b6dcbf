/** Reads and validates the environment once at start (SPEC "Configuration"). */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The samples folder shipped with the repo; the same path from `src/` and from `dist/`. */
export const SAMPLES_DIR = fileURLToPath(new URL("../../../samples", import.meta.url));

// s3://BUCKET[/PREFIX]: S3 bucket naming rules (3–63 of a-z, 0-9, `.`, `-`), any key prefix.
const STORE_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;
const DEFAULT_CHUNK_SIZE = 64 * 1024; // bytes; chosen by the bench sweep, see bench/RESULTS.md
const HOUR_MS = 3_600_000;
const MAX_WORKERS = 256; // processes; far past any one machine's useful count, catches typos

const integerFrom = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `${name} must be at least ${min}`)
        .max(max, `${name} must be at most ${max}`),
    );

/** pino's levels, and `silent`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const EnvSchema = z.object({
  PORT: integerFrom("PORT", 0, 65535).default(8000),
  HOST: z.string().trim().min(1, "HOST must not be empty").default("127.0.0.1"),
  VIDEO_DIR: z.string().trim().min(1, "VIDEO_DIR must not be empty").default(SAMPLES_DIR),
  CORS_ORIGINS: z
    .string()
    .default("http://localhost:5173,http://127.0.0.1:5173")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    )
    .pipe(
      z.array(
        z.string().transform((origin, ctx) => {
          const normalised = origin === "*" ? origin : toOrigin(origin);
          if (normalised === undefined) {
            ctx.addIssue({
              code: "custom",
              message: `CORS_ORIGINS must list origins such as http://localhost:5173, not ${origin}`,
            });
            return z.NEVER;
          }
          return normalised;
        }),
      ),
    ),
  CHUNK_SIZE: integerFrom("CHUNK_SIZE", 1024, 16 * 1024 * 1024).default(DEFAULT_CHUNK_SIZE),
  CACHE_CONTROL: z.string().trim().min(1, "CACHE_CONTROL must not be empty").default("no-cache"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  // ms a new or rewritten file's size+mtime must stay still before the live library announces it
  STABLE_MS: integerFrom("STABLE_MS", 0, 60_000).default(1000),
  // Connection limits (transport/limits.ts); the README's table sets each beside nginx's default.
  HEADERS_TIMEOUT_MS: integerFrom("HEADERS_TIMEOUT_MS", 100, HOUR_MS).default(10_000),
  REQUEST_TIMEOUT_MS: integerFrom("REQUEST_TIMEOUT_MS", 100, HOUR_MS).default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: integerFrom("KEEP_ALIVE_TIMEOUT_MS", 100, HOUR_MS).default(65_000),
  MAX_CONNECTIONS: integerFrom("MAX_CONNECTIONS", 1, 1_000_000).default(10_000),
  // Object storage (storage/s3/): set VIDEO_STORE to serve a bucket instead of VIDEO_DIR.
  VIDEO_STORE: z
    .string()
    .trim()
    .regex(
      STORE_URL,
      "VIDEO_STORE must look like s3://bucket or s3://bucket/prefix (bucket: 3-63 of a-z 0-9 . -)",
    )
    .optional(),
  S3_ENDPOINT: z
    .string()
    .trim()
    .refine(
      (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
      "S3_ENDPOINT must be an http:// or https:// URL",
    )
    .optional(),
  AWS_REGION: z.string().trim().min(1, "AWS_REGION must not be empty").default("us-east-1"),
  AWS_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
  // ms between listings of the bucket that find new, replaced and removed objects
  S3_POLL_MS: integerFrom("S3_POLL_MS", 100, HOUR_MS).default(5000),
  // Media extras (extras/): posters, seek previews. Subtitles need none of these.
  EXTRAS: z.enum(["on", "off"], { message: "EXTRAS must be on or off" }).default("on"),
  FFMPEG_PATH: z.string().trim().min(1).optional(),
  CACHE_DIR: z.string().trim().min(1).optional(),
  EXTRAS_CONCURRENCY: integerFrom("EXTRAS_CONCURRENCY", 1, 64).default(1),
  EXTRAS_TIMEOUT_MS: integerFrom("EXTRAS_TIMEOUT_MS", 100, HOUR_MS).default(300_000),
  // HTTPS + HTTP/2 (transport/create-server.ts): PEM files, both or neither.
  TLS_CERT: z.string().trim().min(1, "TLS_CERT must not be empty").optional(),
  TLS_KEY: z.string().trim().min(1, "TLS_KEY must not be empty").optional(),
  // RFC 9113 §6.5.2 SETTINGS_MAX_CONCURRENT_STREAMS; nginx's http2_max_concurrent_streams is 128.
  MAX_CONCURRENT_STREAMS: integerFrom("MAX_CONCURRENT_STREAMS", 1, 10_000).default(128),
  // Processes serving the port (cluster/); 1 is one process. The default is read per call, as
  // `availableParallelism()` honours the CPU affinity the process was started with (taskset).
  WORKERS: integerFrom("WORKERS", 1, MAX_WORKERS).optional(),
});

/** Where the videos live: `VIDEO_DIR` (default), or a bucket when `VIDEO_STORE` is set. */
export type StoreConfig =
  | { kind: "directory" }
  | {
      kind: "s3";
      bucket: string;
      /** Key prefix without leading or trailing `/`; `""` for the bucket's top level. */
      prefix: string;
      /** `S3_ENDPOINT`; path-style addressing when set. `undefined`: AWS's own endpoint. */
      endpoint: string | undefined;
      region: string;
      /** ms between listings (`S3_POLL_MS`). */
      pollMs: number;
      /** `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY`; `undefined`: the SDK's default chain. */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

/** Validated settings the app runs with. */
export interface Config {
  /** Where the videos live; `videoDir` matters only for `{ kind: "directory" }`. */
  store: StoreConfig;
  port: number;
  host: string;
  videoDir: string;
  corsOrigins: string[];
  chunkSize: number;
  cacheControl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  stableMs: number;
  /**
   * ms a client has to send a request's headers, counted from the connection's accept (first
   * request) or the request's first byte (later ones); then 408 and close. Node `headersTimeout`.
   */
  headersTimeoutMs: number;
  /** ms a client has to send a whole request (headers and body), never the response. */
  requestTimeoutMs: number;
  /** ms an idle connection is kept open after a response, waiting for the next request. */
  keepAliveTimeoutMs: number;
  /** Open TCP connections at most; one more is closed at once, before it is read. */
  maxConnections: number;
  /** Streams one HTTP/2 connection may have open at once (requests in flight). */
  maxConcurrentStreams: number;
  /** Certificate and key (PEM) from `TLS_CERT` / `TLS_KEY`: serve HTTPS with HTTP/2. */
  tls: TlsCredentials | undefined;
  /** Render posters and seek previews (`EXTRAS`, default on; needs ffmpeg). */
  extras: boolean;
  /** `FFMPEG_PATH`; `undefined`: the first `ffmpeg` on `PATH`. ffprobe is taken from beside it. */
  ffmpegPath: string | undefined;
  /** Where rendered extras live (`CACHE_DIR`), an absolute path never inside `videoDir`. */
  cacheDir: string;
  /** Renders at once (`EXTRAS_CONCURRENCY`, default 1). */
  extrasConcurrency: number;
  /** ms one ffmpeg or ffprobe run may take before it is killed (`EXTRAS_TIMEOUT_MS`). */
  extrasTimeoutMs: number;
  /**
   * Processes serving the port (`WORKERS`, default: the CPUs this process may use). 1: one
   * process does everything; more: a primary scans and watches, that many workers serve HTTP.
   */
  workers: number;
}

/** A certificate chain and its private key, PEM encoded, as `tls.createSecureContext` takes them. */
export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
}

/** A bad environment: `message` is one line naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses `env`; throws `ConfigError` with one clear line when a value is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const blankAsUnset = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = EnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    const message = issue?.message ?? "invalid value";
    throw new ConfigError(
      `Invalid ${variable}: ${message} (got ${JSON.stringify(env[variable] ?? "")})`,
    );
  }
  const { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } = parsed.data;
  if (HEADERS_TIMEOUT_MS > REQUEST_TIMEOUT_MS) {
    // Node refuses a headers deadline later than the whole-request one (ERR_OUT_OF_RANGE).
    throw new ConfigError(
      `Invalid HEADERS_TIMEOUT_MS: HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS (${REQUEST_TIMEOUT_MS}) (got ${JSON.stringify(String(HEADERS_TIMEOUT_MS))})`,
    );
  }
  const videoDir = resolve(parsed.data.VIDEO_DIR);
  const store = storeConfigOf(parsed.data);
  if (store.kind === "directory") {
    assertDirectory(videoDir);
  }
  const cacheDir = resolve(parsed.data.CACHE_DIR ?? defaultCacheDir(env));
  if (store.kind === "directory" && isInside(realPathOf(cacheDir), realPathOf(videoDir))) {
    // Rendered JPEGs and manifests must never become part of the served directory.
    throw new ConfigError(
      `Invalid CACHE_DIR: ${cacheDir} is inside VIDEO_DIR ${videoDir}; choose a directory outside it`,
    );
  }
  return {
    store,
    port: parsed.data.PORT,
    host: parsed.data.HOST,
    videoDir,
    corsOrigins: parsed.data.CORS_ORIGINS,
    chunkSize: parsed.data.CHUNK_SIZE,
    cacheControl: parsed.data.CACHE_CONTROL,
    logLevel: parsed.data.LOG_LEVEL,
    stableMs: parsed.data.STABLE_MS,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: parsed.data.KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: parsed.data.MAX_CONNECTIONS,
    maxConcurrentStreams: parsed.data.MAX_CONCURRENT_STREAMS,
    tls: loadTlsCredentials(parsed.data.TLS_CERT, parsed.data.TLS_KEY),
    extras: parsed.data.EXTRAS === "on",
    ffmpegPath:
      parsed.data.FFMPEG_PATH === undefined ? undefined : resolve(parsed.data.FFMPEG_PATH),
    cacheDir,
    extrasConcurrency: parsed.data.EXTRAS_CONCURRENCY,
    extrasTimeoutMs: parsed.data.EXTRAS_TIMEOUT_MS,
    workers: parsed.data.WORKERS ?? Math.min(availableParallelism(), MAX_WORKERS),
  };
}

/** `$XDG_CACHE_HOME/reel`, else `~/.cache/reel` (XDG Base Directory): kept across restarts. */
function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME;
  return join(base !== undefined && isAbsolute(base) ? base : join(homedir(), ".cache"), "reel");
}

/** `path` with symlinks resolved as far as it exists (the rest appended as written). */
function realPathOf(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    existing = dirname(existing);
  }
  try {
    return join(realpathSync(existing), relative(existing, path));
  } catch {
    return path;
  }
}

/** True when `child` is `parent` or lies below it. */
function isInside(child: string, parent: string): boolean {
  const path = relative(parent, child);
  return path === "" || (!path.startsWith("..") && !isAbsolute(path));
}

/** `VIDEO_STORE` and the S3 variables as a `StoreConfig`. */
function storeConfigOf(env: z.infer<typeof EnvSchema>): StoreConfig {
  const match = env.VIDEO_STORE === undefined ? null : STORE_URL.exec(env.VIDEO_STORE);
  if (match === null) {
    return { kind: "directory" };
  }
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
    throw new ConfigError(`Invalid ${missing}: set it together with its pair, or neither`);
  }
  return {
    kind: "s3",
    bucket: match[1] ?? "",
    prefix: (match[2] ?? "").replace(/^\/+|\/+$/g, ""),
    endpoint: env.S3_ENDPOINT,
    region: env.AWS_REGION,
    pollMs: env.S3_POLL_MS,
    credentials:
      accessKeyId !== undefined && secretAccessKey !== undefined
        ? { accessKeyId, secretAccessKey }
        : undefined,
  };
}

/**
 * Reads `TLS_CERT` / `TLS_KEY` and checks them now, so a bad file stops the start with one line
 * instead of an OpenSSL error at the first handshake: both set or neither, each readable PEM, an
 * unencrypted key, and a key that belongs to the (first) certificate.
 */
function loadTlsCredentials(
  certPath: string | undefined,
  keyPath: string | undefined,
): TlsCredentials | undefined {
  if (certPath === undefined && keyPath === undefined) {
    return undefined;
  }
  if (certPath === undefined) {
    throw new ConfigError("Invalid TLS_CERT: TLS_CERT must be set together with TLS_KEY");
  }
  if (keyPath === undefined) {
    throw new ConfigError("Invalid TLS_KEY: TLS_KEY must be set together with TLS_CERT");
  }
  const cert = readPem("TLS_CERT", certPath);
  const key = readPem("TLS_KEY", keyPath);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new ConfigError(`Invalid TLS_CERT: ${certPath} is not a PEM certificate`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigError(`Invalid TLS_KEY: ${keyPath} is not an unencrypted PEM private key`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError(`Invalid TLS_KEY: ${keyPath} is not the key of the TLS_CERT certificate`);
  }
  return { cert, key };
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(resolve(path));
  } catch (error: unknown) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "unreadable";
    throw new ConfigError(`Invalid ${variable}: ${path} cannot be read (${code})`);
  }
}

/**
 * `value` as a browser would send it in `Origin` (scheme://host[:port], RFC 6454), or `undefined`.
 * A bare `localhost:5173` parses as a URL with scheme `localhost:` and would never match, so it is
 * refused; a trailing `/` is forgiven.
 */
function toOrigin(value: string): string | undefined {
  if (!URL.canParse(value)) {
    return undefined;
  }
  const url = new URL(value);
  const isHttp = url.protocol === "http:" || url.protocol === "https:";
  const isBare =
    url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "";
  return isHttp && isBare && !value.endsWith("//") ? url.origin : undefined;
}

function assertDirectory(path: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new ConfigError(`Invalid VIDEO_DIR: ${path} does not exist`);
  }
  if (!isDirectory) {
    throw new ConfigError(`Invalid VIDEO_DIR: ${path} is not a directory`);
  }
}
