/**
 * A store that cannot be reached: Reel starts anyway, says so in /api/health, answers every
 * request that needs the store with 503 `Storage unavailable` and `Retry-After` (never a 500 or a
 * hang), and serves again by itself once the store answers. The store sits behind a real TCP
 * relay that the test switches between "down" (every connection reset) and "up".
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { connect, createServer, type Server, type Socket } from "node:net";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { injectObjectStore } from "../../test-support/object-store/provided.js";
import { createBucket, s3ClientFor } from "../../test-support/object-store/s3-client.js";
import { waitUntil } from "../../test-support/object-store/wait-until.js";
import { detailOf, rawRequest } from "../../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../../test-support/server.js";
import { s3StoreConfig } from "../../test-support/store-fixture.js";

const DEADLINE_MS = 15_000; // failure guard only

/** A TCP relay to `target` that resets every connection while `down`. */
function startRelay(
  target: URL,
): Promise<{ url: string; setDown(down: boolean): void; close(): void }> {
  let down = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo; // TCP, so never a string
      resolve({
        url: `http://127.0.0.1:${port}`,
        setDown(value) {
          down = value;
          if (down) {
            for (const socket of sockets) {
              socket.destroy(); // the keep-alive connections die with the store
            }
          }
        },
        close() {
          server.close();
          for (const socket of sockets) {
            socket.destroy();
          }
        },
      });
    });
  });
}

describe("an object store that cannot be reached", () => {
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let server: TestServer;

  const get = (path: string) => rawRequest(server.port, path);

  beforeAll(async () => {
    const connection = injectObjectStore();
    const bucket = `reel-${randomUUID()}`;
    await createBucket(connection, bucket);
    const client = s3ClientFor(connection);
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: "videos/clip.mp4", Body: "0123456789" }),
    );
    client.destroy();
    relay = await startRelay(new URL(connection.endpoint));
    // Reel starts while its store is down.
    server = await startTestServer({ store: s3StoreConfig(connection, bucket, 100, relay.url) });
  });

  afterAll(async () => {
    await server.close();
    relay.close();
  });

  it("starts, and answers 503 with Retry-After wherever the store is needed", async () => {
    const health = await get("/api/health");
    expect(health.status).toBe(503);
    expect(detailOf(health)).toMatch(
      /^Storage unavailable: s3:\/\/reel-[0-9a-f-]+\/videos does not answer$/,
    );
    for (const path of ["/api/videos", "/api/videos/clip.mp4", "/api/video/clip.mp4"]) {
      const response = await get(path);
      expect(response.status).toBe(503);
      expect(response.headers["retry-after"]).toBe("5");
      expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(detailOf(response)).toMatch(/^Storage unavailable/);
    }
  });

  it("serves again without a restart once the store answers, and 503s when it goes again", async () => {
    relay.setDown(false);
    await waitUntil(
      async () => ((await get("/api/videos/clip.mp4")).status === 200 ? true : undefined),
      { deadline: Date.now() + DEADLINE_MS, intervalMs: 50, what: "clip.mp4 to be listed" },
    );
    expect((await get("/api/health")).status).toBe(200);
    const ranged = await rawRequest(server.port, "/api/video/clip.mp4", {
      headers: { Range: "bytes=2-5" },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.body.toString()).toBe("2345");

    relay.setDown(true);
    const during = await get("/api/video/clip.mp4");
    expect(during.status).toBe(503);
    expect(during.headers["retry-after"]).toBe("5");
    expect((await get("/api/health")).status).toBe(503);
  });
});
