import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DownloadProgress, ReelApiError } from "./index.js";
import {
  compareBytes,
  type Fixture,
  randomFile,
  readAll,
  startFixture,
} from "./test-support/fixture.js";

const MB = 1024 * 1024;
const original = randomFile(4 * MB);
const replacement = randomFile(3 * MB);

/** Reads `body` until at least `limit` bytes arrived, then aborts; returns what it got. */
async function readThenAbort(
  body: ReadableStream<Uint8Array>,
  controller: AbortController,
  limit: number,
): Promise<{ received: Uint8Array; error: unknown }> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return { received: new Uint8Array(Buffer.concat(chunks)), error: undefined };
      }
      chunks.push(value);
      received += value.byteLength;
      if (received >= limit) {
        controller.abort();
      }
    }
  } catch (error) {
    return { received: new Uint8Array(Buffer.concat(chunks)), error };
  }
}

describe("download against a real server", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ "movie.mp4": original, "other.mp4": original });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it("streams the whole file byte-exactly with its size and ETag", async () => {
    const { etag } = await fixture.client.getVideo("movie.mp4");
    const result = await fixture.client.download("movie.mp4");
    expect(result).toMatchObject({ size: original.byteLength, etag, offset: 0 });
    expect(compareBytes(await readAll(result.body), original)).toBe("equal");
  });

  it("reports progress from 0, increasing, ending at the size", async () => {
    const seen: DownloadProgress[] = [];
    const { body } = await fixture.client.download("movie.mp4", {
      onProgress: (p) => seen.push(p),
    });
    await readAll(body);
    expect(seen[0]).toEqual({ loaded: 0, total: original.byteLength });
    expect(seen.at(-1)).toEqual({ loaded: original.byteLength, total: original.byteLength });
    expect(seen.length).toBeGreaterThan(2);
    const loaded = seen.map((p) => p.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  });

  it("resumes at the offset while the ETag matches, counting the offset as loaded", async () => {
    const { etag } = await fixture.client.getVideo("movie.mp4");
    const offset = 1_234_567;
    const seen: DownloadProgress[] = [];
    const result = await fixture.client.download("movie.mp4", {
      from: { offset, etag },
      onProgress: (p) => seen.push(p),
    });
    expect(result).toMatchObject({ offset, size: original.byteLength, etag });
    expect(compareBytes(await readAll(result.body), original.subarray(offset))).toBe("equal");
    expect(seen[0]).toEqual({ loaded: offset, total: original.byteLength });
    expect(seen.at(-1)?.loaded).toBe(original.byteLength);
  });

  it("restarts at 0 with the whole new file when the file was replaced", async () => {
    const { etag: oldEtag } = await fixture.client.getVideo("other.mp4");
    fixture.write("other.mp4", replacement);
    const result = await fixture.client.download("other.mp4", {
      from: { offset: 1_000_000, etag: oldEtag },
    });
    expect(result.offset).toBe(0);
    expect(result.size).toBe(replacement.byteLength);
    expect(result.etag).not.toBe(oldEtag);
    expect(compareBytes(await readAll(result.body), replacement)).toBe("equal");
  });

  it("returns an empty body when the offset already covers the unchanged file", async () => {
    const { etag } = await fixture.client.getVideo("movie.mp4");
    const seen: DownloadProgress[] = [];
    const result = await fixture.client.download("movie.mp4", {
      from: { offset: original.byteLength, etag },
      onProgress: (p) => seen.push(p),
    });
    expect(result).toMatchObject({ offset: original.byteLength, size: original.byteLength, etag });
    expect((await readAll(result.body)).byteLength).toBe(0);
    expect(seen).toEqual([{ loaded: original.byteLength, total: original.byteLength }]);
  });

  it("gets the whole file when the offset equals the size but the ETag is stale", async () => {
    // The empty-body shortcut above relies on the server judging If-Range before the range.
    const result = await fixture.client.download("movie.mp4", {
      from: { offset: original.byteLength, etag: '"stale"' },
    });
    expect(result.offset).toBe(0);
    expect(compareBytes(await readAll(result.body), original)).toBe("equal");
  });

  it("treats from.offset 0 as a fresh download", async () => {
    const result = await fixture.client.download("movie.mp4", { from: { offset: 0, etag: '"x"' } });
    expect(result.offset).toBe(0);
    expect(compareBytes(await readAll(result.body), original)).toBe("equal");
  });

  it("throws ReelApiError 404 with the exact detail for a missing file", async () => {
    await expect(fixture.client.download("gone.mp4")).rejects.toMatchObject({
      status: 404,
      detail: "Video not found: gone.mp4",
    });
  });

  it("throws ReelApiError 400 with the exact detail for an invalid name", async () => {
    const error = await fixture.client.download("a/b.mp4").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReelApiError);
    expect(error).toMatchObject({ status: 400, detail: "Invalid filename: a/b.mp4" });
  });

  it("aborts the transfer mid-body with the platform's AbortError, and a resume completes it", async () => {
    const controller = new AbortController();
    const first = await fixture.client.download("movie.mp4", { signal: controller.signal });
    const { received, error } = await readThenAbort(first.body, controller, 256 * 1024);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(ReelApiError);
    expect(received.byteLength).toBeGreaterThan(0);
    expect(received.byteLength).toBeLessThan(original.byteLength);
    expect(compareBytes(received, original.subarray(0, received.byteLength))).toBe("equal");

    const rest = await fixture.client.download("movie.mp4", {
      from: { offset: received.byteLength, etag: first.etag },
    });
    expect(rest.offset).toBe(received.byteLength);
    const whole = new Uint8Array(Buffer.concat([received, await readAll(rest.body)]));
    expect(compareBytes(whole, original)).toBe("equal");
  });

  it("rejects before the response with the platform's AbortError", async () => {
    await expect(
      fixture.client.download("movie.mp4", { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("download with an injected fetch", () => {
  it("errors the body when the server sends fewer bytes than it announced", async () => {
    const { createReelClient } = await import("./index.js");
    const client = createReelClient({
      baseUrl: "http://reel.test",
      fetch: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new Uint8Array(3));
              controller.close();
            },
          }),
          { status: 200, headers: { "Content-Length": "10", ETag: '"e"' } },
        ),
    });
    const { body } = await client.download("short.mp4");
    await expect(readAll(body)).rejects.toMatchObject({
      name: "ReelApiError",
      detail: "The body ended after 3 of 10 bytes",
    });
  });

  it("ends the transfer on abort even when the platform's body ignores the signal", async () => {
    // What Node 20's fetch does once the Request openapi-fetch built was garbage-collected: the
    // body keeps coming after the caller aborted. The SDK must stop reading it itself.
    const { createReelClient } = await import("./index.js");
    let cancelled = false;
    let pulled = 0;
    const client = createReelClient({
      baseUrl: "http://reel.test",
      fetch: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled += 1;
              controller.enqueue(new Uint8Array(1024));
            },
            cancel() {
              cancelled = true;
            },
          }),
          { status: 200, headers: { "Content-Length": String(1024 * 1024 * 1024), ETag: '"e"' } },
        ),
    });
    const controller = new AbortController();
    const { body } = await client.download("endless.mp4", {
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= 8 * 1024) {
          controller.abort();
        }
      },
    });
    await expect(readAll(body)).rejects.toMatchObject({ name: "AbortError" });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(64); // stopped right away, not after the 1 GiB it announced
  });
});
