/**
 * How a test reaches an S3-compatible store: plain data, so vitest can pass it from its
 * globalSetup to the test workers (`provide` / `inject` serialise it).
 */

/** Endpoint and credentials of an S3-compatible object store. */
export interface ObjectStoreConnection {
  /** Base URL of the S3 API, `http://127.0.0.1:PORT` (path-style bucket addressing). */
  endpoint: string;
  /** Signing region; the RADOS Gateway accepts `us-east-1`. */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's shared RADOS Gateway; only set when `global-setup.ts` is a globalSetup. */
    objectStore?: ObjectStoreConnection;
  }
}
