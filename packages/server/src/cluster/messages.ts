/**
 * The IPC protocol between a cluster's primary and its workers: every message as a zod schema,
 * checked on receipt (a message is a plain JSON value; nothing is trusted by its type alone).
 * The primary owns the library and numbers the events; a worker starts from a snapshot and then
 * applies every change in the order sent (one IPC channel per worker keeps that order).
 */
import { z } from "zod";
import { type Config, LOG_LEVELS } from "../config.js";
import { ManifestSchema } from "../extras/cache.js";
import { VideoInfoSchema } from "../openapi/schemas.js";

/** `Config` as JSON: the TLS files as PEM text instead of Buffers. */
const ConfigSchema = z.object({
  store: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("directory") }),
    z.object({
      kind: z.literal("s3"),
      bucket: z.string(),
      prefix: z.string(),
      endpoint: z.string().optional(),
      region: z.string(),
      pollMs: z.number(),
      credentials: z.object({ accessKeyId: z.string(), secretAccessKey: z.string() }).optional(),
    }),
  ]),
  port: z.number().int(),
  host: z.string(),
  videoDir: z.string(),
  corsOrigins: z.array(z.string()),
  chunkSize: z.number().int(),
  cacheControl: z.string(),
  logLevel: z.enum(LOG_LEVELS),
  stableMs: z.number(),
  headersTimeoutMs: z.number(),
  requestTimeoutMs: z.number(),
  keepAliveTimeoutMs: z.number(),
  maxConnections: z.number().int(),
  maxConcurrentStreams: z.number().int(),
  tls: z.object({ cert: z.string(), key: z.string() }).optional(),
  extras: z.boolean(),
  ffmpegPath: z.string().optional(),
  cacheDir: z.string(),
  extrasConcurrency: z.number().int(),
  extrasTimeoutMs: z.number(),
  workers: z.number().int(),
});

/** `config` as the start message carries it. */
export function toWireConfig(config: Config): z.infer<typeof ConfigSchema> {
  const { tls, ...rest } = config;
  return {
    ...rest,
    tls: tls === undefined ? undefined : { cert: tls.cert.toString(), key: tls.key.toString() },
  };
}

/** The `Config` a start message carries. */
export function fromWireConfig(wire: z.infer<typeof ConfigSchema>): Config {
  const { tls, store, ...rest } = wire;
  return {
    ...rest,
    // JSON drops keys whose value is undefined; Config has them, explicitly undefined.
    store:
      store.kind === "s3"
        ? { ...store, endpoint: store.endpoint, credentials: store.credentials }
        : store,
    ffmpegPath: rest.ffmpegPath,
    tls: tls === undefined ? undefined : { cert: Buffer.from(tls.cert), key: Buffer.from(tls.key) },
  };
}

/** A catalogue entry with the manifest of its rendered extras (`null` while not rendered). */
const EntrySchema = z.object({
  info: VideoInfoSchema,
  mtimeMs: z.number(),
  lowerName: z.string(),
  etag: z.string(),
  subtitles: z.array(
    z.object({
      lang: z.string(),
      label: z.string(),
      sidecar: z.string(),
      format: z.enum(["vtt", "srt"]),
    }),
  ),
  extras: ManifestSchema.options[0].nullable(),
});
/** One catalogue entry as sent. */
export type WireEntry = z.infer<typeof EntrySchema>;

const HubEventSchema = z.object({ seq: z.number().int(), frame: z.string() });

/** What changes without a catalogue entry changing: health's view of the primary. */
const SharedStateSchema = z.object({
  /** The first scan is done (the catalogue has been sent whole). */
  ready: z.boolean(),
  /** Videos in the primary's catalogue: a worker's count while the first scan runs. */
  count: z.number().int(),
  scanning: z.object({ done: z.number(), total: z.number() }).nullable(),
  extras: z.object({ enabled: z.boolean(), reason: z.string().nullable(), pending: z.number() }),
  /** The primary's store answered its last request (an object store's listing). */
  storeAvailable: z.boolean(),
});
/** Health's view of the primary. */
export type SharedState = z.infer<typeof SharedStateSchema>;

/** Everything a new worker starts from. */
const StartSchema = z.object({
  type: z.literal("start"),
  config: ConfigSchema,
  /** A built web player to serve at `/`. */
  playerDir: z.string().optional(),
  /** The primary's extras folder in `CACHE_DIR` (where rendered files are read from). */
  extrasDir: z.string(),
  /** Send log lines to the primary instead of writing them to stdout (tests read them). */
  forwardLogs: z.boolean(),
  /** Descriptor cache tuning (tests). */
  fileCache: z.object({ maxEntries: z.number().optional(), idleMs: z.number().optional() }),
  /** The port every worker listens on (already chosen when `config.port` is 0). */
  port: z.number().int(),
  entries: z.array(EntrySchema),
  hub: z.object({ bootId: z.string(), seq: z.number().int(), history: z.array(HubEventSchema) }),
  state: SharedStateSchema,
});
/** The first message a worker gets. */
export type StartMessage = z.infer<typeof StartSchema>;

const PrimaryMessageSchema = z.discriminatedUnion("type", [
  StartSchema,
  /** `entry`: the catalogue now has this entry for `filename`; `null`: it is gone. */
  z.object({ type: z.literal("entry"), filename: z.string(), entry: EntrySchema.nullable() }),
  /** The first scan is done: the whole catalogue, replacing the worker's. */
  z.object({ type: z.literal("catalogue"), entries: z.array(EntrySchema) }),
  z.object({ type: z.literal("event"), event: HubEventSchema }),
  z.object({ type: z.literal("state"), state: SharedStateSchema }),
  /** Answer `synced` with the same token once everything sent before is applied. */
  z.object({ type: z.literal("sync"), token: z.number().int() }),
  /** Answer `stats` with the same token. */
  z.object({ type: z.literal("query"), token: z.number().int() }),
  /** Close the server and the event streams, then exit 0. */
  z.object({ type: z.literal("stop") }),
]);
/** A message from the primary to a worker. */
export type PrimaryMessage = z.infer<typeof PrimaryMessageSchema>;

/** Per-process figures a worker reports when asked (leak checks, load tests). */
const WorkerStatsSchema = z.object({
  pid: z.number().int(),
  /** `VideoStore.openCount()`: descriptors or store responses held. */
  openCount: z.number().int(),
  /** Event streams open. */
  eventStreams: z.number().int(),
  /** Calls to its store's `list` and `watch`: 0, the primary alone scans and watches. */
  listings: z.number().int(),
  /** Connections accepted so far, by protocol. */
  accepted: z.object({ h2: z.number().int(), "http/1.1": z.number().int() }),
});
/** One worker's figures. */
export type WorkerStats = z.infer<typeof WorkerStatsSchema>;

const WorkerMessageSchema = z.discriminatedUnion("type", [
  /**
   * The worker listens for messages now. Sent first: a message that arrives while its modules
   * still load would have no listener and be lost, so the primary sends nothing before.
   */
  z.object({ type: z.literal("hello") }),
  z.object({ type: z.literal("listening"), pid: z.number().int(), port: z.number().int() }),
  /** The worker could not start (e.g. could not listen); it exits after saying so. */
  z.object({ type: z.literal("failed"), message: z.string() }),
  z.object({ type: z.literal("synced"), token: z.number().int() }),
  /** One log line, when the primary asked for them (`forwardLogs`); else workers write stdout. */
  z.object({ type: z.literal("log"), line: z.string() }),
  z.object({ type: z.literal("stats"), token: z.number().int(), stats: WorkerStatsSchema }),
]);
/** A message from a worker to the primary. */
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>;

/** `message` if it is a primary message, else `undefined`. */
export function decodePrimaryMessage(message: unknown): PrimaryMessage | undefined {
  const parsed = PrimaryMessageSchema.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

/** `message` if it is a worker message, else `undefined`. */
export function decodeWorkerMessage(message: unknown): WorkerMessage | undefined {
  const parsed = WorkerMessageSchema.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}
