/** Opens the store a config names; shared by the single process, a cluster's primary and its workers. */
import type { Agent } from "node:http";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { VideoFilesOptions } from "./directory/descriptor-cache.js";
import { createDirectoryStore } from "./directory/directory-store.js";
import type { VideoStore } from "./store.js";

/** Test tuning of the store; production uses the defaults. */
export interface StoreOptions {
  /** Descriptor cache tuning of the directory store. */
  fileCache?: VideoFilesOptions | undefined;
  /** The object store's plain-HTTP agent (tests inspect its sockets); a new one by default. */
  s3HttpAgent?: Agent | undefined;
}

/**
 * The store `config.store` names: the directory `VIDEO_DIR`, or the bucket of `VIDEO_STORE`.
 * Nothing is listed or watched until asked (`list`, `watch`).
 */
export async function createStore(
  config: Config,
  logger: Logger,
  options: StoreOptions = {},
): Promise<VideoStore> {
  if (config.store.kind === "s3") {
    // Loaded only for a bucket: the AWS SDK costs ~30 MB resident that a directory never needs.
    const [{ createS3Client }, { createS3Store }] = await Promise.all([
      import("./s3/s3-client.js"),
      import("./s3/s3-store.js"),
    ]);
    const { bucket, prefix, endpoint, region, pollMs, credentials } = config.store;
    const client = createS3Client({ endpoint, region, credentials }, options.s3HttpAgent);
    return createS3Store({ client, bucket, prefix, pollMs, logger });
  }
  return createDirectoryStore({
    videoDir: config.videoDir,
    chunkSize: config.chunkSize,
    stableMs: config.stableMs,
    logger,
    fileCache: options.fileCache,
  });
}
