/**
 * The live library over real HTTP and a real directory: what a producer does (write, rename,
 * grow, replace, delete) and what a subscriber sees, with the default 1 s stability delay.
 */
import {
  appendFileSync,
  copyFileSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { VideoInfoSchema, VideoListSchema } from "../openapi/schemas.js";
import { startTestServer, type TestServer } from "../test-support/server.js";
import { type EventStreamReader, openEventStream } from "../test-support/sse-client.js";

const SAMPLE = readFileSync(join(SAMPLES_DIR, "sample_final.mp4"));
const LATE_MOOV = readFileSync(join(SAMPLES_DIR, "late_moov.mp4"));

describe("GET /api/videos/events", () => {
  let server: TestServer;
  let stream: EventStreamReader;
  const url = () => `${server.baseUrl}/api/videos/events`;
  const eventsFor = (filename: string) =>
    stream.events().filter((frame) => frame.data?.includes(`"filename":"${filename}"`));

  beforeEach(async () => {
    server = await startTestServer();
    stream = await openEventStream(url());
  });

  afterEach(async () => {
    stream.close();
    await server.close();
  });

  it("opens a text/event-stream with a retry delay and the current id", async () => {
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(stream.headers["cache-control"]).toContain("no-cache");
    const preamble = await stream.waitFor((frame) => frame.retry !== undefined);
    expect(preamble).toMatchObject({ retry: "2000", id: `${server.hub.bootId}-0` });
    expect(preamble.event).toBeUndefined();
  });

  it("lets an allowed browser origin read the stream (CORS)", async () => {
    const cross = await openEventStream(url(), { headers: { Origin: "http://localhost:5173" } });
    expect(cross.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    expect(cross.headers.vary).toContain("Origin");
    cross.close();
  });

  it("announces a file renamed from a temporary name once, within 3 s", async () => {
    writeFileSync(join(server.videoDir, "new.mp4.part"), SAMPLE);
    await sleep(1500); // the partial name alone must stay silent
    const renamedAt = Date.now();
    renameSync(join(server.videoDir, "new.mp4.part"), join(server.videoDir, "new.mp4"));
    const added = await stream.waitFor((frame) => frame.event === "added", 3000);
    const latency = added.receivedAt - renamedAt;
    console.info(`rename -> added event: ${latency} ms (STABLE_MS 1000)`);
    expect(latency).toBeLessThan(3000);
    const info = VideoInfoSchema.parse(JSON.parse(added.data ?? ""));
    expect(info).toMatchObject({
      filename: "new.mp4",
      size: SAMPLE.length,
      url: "/api/video/new.mp4",
      media: { durationSeconds: 10, faststart: true },
    });
    expect(added.id).toBe(`${server.hub.bootId}-1`);
    await sleep(1500);
    expect(stream.events()).toHaveLength(1);
    const list = VideoListSchema.parse(await (await fetch(`${server.baseUrl}/api/videos`)).json());
    expect(list.items.map((item) => item.filename)).toEqual(["new.mp4"]);
  });

  it("announces a file grown in steps for 3 s only after it stops, once", async () => {
    const path = join(server.videoDir, "growing.mp4");
    const step = Math.ceil(SAMPLE.length / 15);
    writeFileSync(path, SAMPLE.subarray(0, step));
    for (let offset = step; offset < SAMPLE.length; offset += step) {
      await sleep(200);
      appendFileSync(path, SAMPLE.subarray(offset, offset + step));
      expect(eventsFor("growing.mp4")).toEqual([]);
    }
    const listed = VideoListSchema.parse(
      await (await fetch(`${server.baseUrl}/api/videos`)).json(),
    );
    expect(listed.total).toBe(0); // the listing agrees with the events: not there yet
    const stoppedAt = Date.now();
    const added = await stream.waitFor((frame) => frame.event === "added", 3000);
    console.info(`last write -> added event: ${added.receivedAt - stoppedAt} ms`);
    expect(JSON.parse(added.data ?? "")).toMatchObject({
      filename: "growing.mp4",
      size: SAMPLE.length,
      media: { durationSeconds: 10 },
    });
    await sleep(1500);
    expect(eventsFor("growing.mp4")).toHaveLength(1);
  });

  it("sends changed with the new ETag when a file is replaced by rename, then removed", async () => {
    const path = join(server.videoDir, "clip.mp4");
    writeFileSync(path, SAMPLE);
    const added = await stream.waitFor((frame) => frame.event === "added", 3000);
    const before = VideoInfoSchema.parse(JSON.parse(added.data ?? ""));

    writeFileSync(`${path}.tmp`, LATE_MOOV);
    renameSync(`${path}.tmp`, path);
    const changed = await stream.waitFor((frame) => frame.event === "changed", 3000);
    const after = VideoInfoSchema.parse(JSON.parse(changed.data ?? ""));
    const head = await fetch(`${server.baseUrl}/api/video/clip.mp4`, { method: "HEAD" });
    expect(after.etag).not.toBe(before.etag);
    expect(after.etag).toBe(head.headers.get("etag"));
    expect(after).toMatchObject({ size: LATE_MOOV.length, media: { faststart: false } });
    const info = VideoInfoSchema.parse(
      await (await fetch(`${server.baseUrl}/api/videos/clip.mp4`)).json(),
    );
    expect(info.etag).toBe(after.etag); // the catalogue was re-read, not served from the old cache

    unlinkSync(path);
    const removed = await stream.waitFor((frame) => frame.event === "removed", 3000);
    expect(JSON.parse(removed.data ?? "")).toEqual({ filename: "clip.mp4" });
    expect((await fetch(`${server.baseUrl}/api/videos/clip.mp4`)).status).toBe(404);
    expect(stream.events().map((frame) => frame.event)).toEqual(["added", "changed", "removed"]);
  });

  it("never announces dotfiles and partial names", async () => {
    for (const name of [".hidden.mp4", "a.mp4.part", "b.mp4.tmp", "c.mp4.crdownload"]) {
      writeFileSync(join(server.videoDir, name), SAMPLE);
    }
    await sleep(2500);
    expect(stream.events()).toEqual([]);
  });

  it("replays missed events in order after Last-Event-ID", async () => {
    const preamble = await stream.waitFor((frame) => frame.retry !== undefined);
    stream.close();
    const path = join(server.videoDir, "brief.mp4");
    copyFileSync(join(SAMPLES_DIR, "café clip.mp4"), path);
    const watcher = await openEventStream(url());
    await watcher.waitFor((frame) => frame.event === "added", 3000);
    unlinkSync(path);
    await watcher.waitFor((frame) => frame.event === "removed", 3000);
    watcher.close();

    stream = await openEventStream(url(), { lastEventId: preamble.id });
    await stream.waitFor((frame) => frame.retry !== undefined);
    expect(stream.events().map((frame) => [frame.event, frame.id])).toEqual([
      ["added", `${server.hub.bootId}-1`],
      ["removed", `${server.hub.bootId}-2`],
    ]);
    // Resuming from the newest id replays nothing.
    const upToDate = await openEventStream(url(), {
      lastEventId: `${server.hub.bootId}-2`,
    });
    await upToDate.waitFor((frame) => frame.retry !== undefined);
    expect(upToDate.events()).toEqual([]);
    upToDate.close();
  });

  it("sends reset for an id older than the history or from another process", async () => {
    const first = `${server.hub.bootId}-1`;
    for (let index = 0; index < 1005; index++) {
      server.hub.publish({ event: "removed", data: { filename: `gone-${index}.mp4` } });
    }
    for (const lastEventId of [first, "0badf00d-3", "garbage"]) {
      const resumed = await openEventStream(url(), { lastEventId });
      const reset = await resumed.waitFor((frame) => frame.event === "reset");
      expect(reset.id).toBe(`${server.hub.bootId}-1005`);
      expect(JSON.parse(reset.data ?? "")).toEqual({
        reason: expect.stringContaining(lastEventId),
      });
      expect(resumed.events()).toHaveLength(1);
      resumed.close();
    }
    // The oldest kept event can still be resumed from: history holds the last 1,000.
    const edge = await openEventStream(url(), { lastEventId: `${server.hub.bootId}-5` });
    await edge.waitFor((frame) => frame.retry !== undefined);
    expect(edge.events()).toHaveLength(1000);
    expect(edge.events()[0]?.id).toBe(`${server.hub.bootId}-6`);
    edge.close();
  });

  it("answers 400 for a Last-Event-ID longer than 64 characters", async () => {
    const response = await fetch(url(), { headers: { "Last-Event-ID": "x".repeat(65) } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      detail: expect.stringContaining("Invalid header parameter last-event-id"),
    });
  });
});
