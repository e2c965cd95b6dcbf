/**
 * A real Reel server over a temporary directory of known files, with a client pointed at it.
 * Black-box: the tests see HTTP only, exactly as a browser or a download tool would.
 */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir, startTestServer, type TestServer } from "@reel/server/test-support";
import { createReelClient, type ReelClient } from "../index.js";

/** A running server, its directory and a client. */
export interface Fixture {
  server: TestServer;
  client: ReelClient;
  videoDir: string;
  /** Writes (or replaces) a file in the video directory. */
  write(filename: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

/** Starts a server whose directory holds `files`; files are written before the initial scan. */
export async function startFixture(
  files: Record<string, Uint8Array> = {},
  options: { stableMs?: number } = {},
): Promise<Fixture> {
  const videoDir = makeTempDir("reel-client-");
  const write = (filename: string, bytes: Uint8Array) =>
    writeFileSync(join(videoDir, filename), bytes);
  for (const [filename, bytes] of Object.entries(files)) {
    write(filename, bytes);
  }
  const server = await startTestServer({ videoDir, stableMs: options.stableMs ?? 50 });
  return {
    server,
    client: createReelClient({ baseUrl: server.baseUrl }),
    videoDir,
    write,
    close: async () => {
      await server.close();
      rmSync(videoDir, { recursive: true, force: true });
    },
  };
}

/** `size` random bytes: a byte-exact comparison against them cannot pass by accident. */
export function randomFile(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

/** Reads a whole stream into one array (for small test files only). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * `"equal"`, or where two byte arrays part. vitest's deep equality walks a typed array element by
 * element and takes minutes on megabytes, so big bodies are compared with `Buffer.compare`.
 */
export function compareBytes(actual: Uint8Array, expected: Uint8Array): string {
  if (Buffer.compare(actual, expected) === 0) {
    return "equal";
  }
  const shorter = Math.min(actual.byteLength, expected.byteLength);
  let index = 0;
  while (index < shorter && actual[index] === expected[index]) {
    index += 1;
  }
  return `${actual.byteLength} bytes vs ${expected.byteLength} expected, first difference at byte ${index}`;
}
