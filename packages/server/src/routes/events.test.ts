/**
 * The live library over real HTTP, on every store under test (`test-support/store-kinds.ts`):
 * what a producer does (write, rename, grow, replace, delete a file; put, upload in parts,
 * replace, delete an object) and what a subscriber sees. A directory runs with the default 1 s
 * stability delay, a bucket is listed every 100 ms. "Nothing else was announced" is checked after
 * `fixture.caughtUp()`, once the server has looked at every change made so far.
 */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { VideoInfoSchema, VideoListSchema } from "../openapi/schemas.js";
import { type EventStreamReader, openEventStream } from "../test-support/sse-client.js";
import type { StoreFixture } from "../test-support/store-fixture.js";
import { startFixtureFor, storeKindsUnderTest } from "../test-support/store-kinds.js";

const SAMPLE = readFileSync(join(SAMPLES_DIR, "sample_final.mp4"));
const LATE_MOOV = readFileSync(join(SAMPLES_DIR, "late_moov.mp4"));
const CAFE = readFileSync(join(SAMPLES_DIR, "café clip.mp4"));
const STABLE_MS = 1000; // a directory's settle delay here: the default STABLE_MS
const POLL_MS = 100; // a bucket's listing interval here

describe.each(storeKindsUnderTest())("GET /api/videos/events on %s", (kind) => {
  let fixture: StoreFixture;
  let stream: EventStreamReader;
  const url = () => `${fixture.server.baseUrl}/api/videos/events`;
  const baseUrl = () => fixture.server.baseUrl;
  /** The id of the `seq`th event this server published. */
  const idOf = (seq: number) => `${fixture.server.hub.bootId}-${seq}`;
  const eventsFor = (filename: string) =>
    stream.events().filter((frame) => frame.data?.includes(`"filename":"${filename}"`));

  beforeEach(async () => {
    fixture = await startFixtureFor(kind, { changeMs: kind === "s3" ? POLL_MS : STABLE_MS });
    stream = await openEventStream(url());
  });

  afterEach(async () => {
    stream.close();
    await fixture.close();
  });

  it("opens a text/event-stream with a retry delay and the current id", async () => {
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(stream.headers["cache-control"]).toContain("no-cache");
    const preamble = await stream.waitFor((frame) => frame.retry !== undefined);
    expect(preamble).toMatchObject({ retry: "2000", id: idOf(0) });
    expect(preamble.event).toBeUndefined();
  });

  it("lets an allowed browser origin read the stream (CORS)", async () => {
    const cross = await openEventStream(url(), { headers: { Origin: "http://localhost:5173" } });
    expect(cross.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    expect(cross.headers.vary).toContain("Origin");
    cross.close();
  });

  it("announces a video finished under a temporary name once, within 3 s", async () => {
    await fixture.put("new.mp4.part", SAMPLE);
    await fixture.caughtUp(); // the partial name alone must stay silent
    const renamedAt = Date.now();
    if (kind === "directory") {
      renameSync(
        join(fixture.server.videoDir, "new.mp4.part"),
        join(fixture.server.videoDir, "new.mp4"),
      );
    } else {
      // An object store has no rename: the producer puts the final name, then drops the partial.
      await fixture.put("new.mp4", SAMPLE);
      await fixture.remove("new.mp4.part");
    }
    const added = await stream.waitFor((frame) => frame.event === "added", 3000);
    const latency = added.receivedAt - renamedAt;
    console.info(
      `${kind}: final name -> added event: ${latency} ms (${kind === "s3" ? `poll ${POLL_MS}` : `STABLE_MS ${STABLE_MS}`})`,
    );
    expect(latency).toBeLessThan(3000);
    const info = VideoInfoSchema.parse(JSON.parse(added.data ?? ""));
    expect(info).toMatchObject({
      filename: "new.mp4",
      size: SAMPLE.length,
      url: "/api/video/new.mp4",
      media: { durationSeconds: 10, faststart: true },
    });
    expect(added.id).toBe(idOf(1));
    await fixture.caughtUp();
    expect(fixture.server.hub.currentId).toBe(idOf(1));
    expect(stream.events()).toHaveLength(1);
    const list = VideoListSchema.parse(await (await fetch(`${baseUrl()}/api/videos`)).json());
    expect(list.items.map((item) => item.filename)).toEqual(["new.mp4"]);
  });

  // Growing in place is a filesystem's: an object is never visible half written (its S3
  // analogue, an upload in parts, follows).
  it.runIf(kind === "directory")(
    "announces a file grown in steps for 3 s only after it stops, once",
    async () => {
      const path = join(fixture.server.videoDir, "growing.mp4");
      const step = Math.ceil(SAMPLE.length / 15);
      writeFileSync(path, SAMPLE.subarray(0, step));
      for (let offset = step; offset < SAMPLE.length; offset += step) {
        await sleep(200); // the producer's pace: it writes a step every 200 ms
        appendFileSync(path, SAMPLE.subarray(offset, offset + step));
        expect(eventsFor("growing.mp4")).toEqual([]);
      }
      const listed = VideoListSchema.parse(await (await fetch(`${baseUrl()}/api/videos`)).json());
      expect(listed.total).toBe(0); // the listing agrees with the events: not there yet
      const stoppedAt = Date.now();
      const added = await stream.waitFor((frame) => frame.event === "added", 3000);
      console.info(`last write -> added event: ${added.receivedAt - stoppedAt} ms`);
      expect(JSON.parse(added.data ?? "")).toMatchObject({
        filename: "growing.mp4",
        size: SAMPLE.length,
        media: { durationSeconds: 10 },
      });
      await fixture.caughtUp();
      expect(fixture.server.hub.currentId).toBe(idOf(1));
      expect(eventsFor("growing.mp4")).toHaveLength(1);
    },
  );

  it.runIf(kind === "s3")(
    "announces an object uploaded in parts only once the upload completes, once",
    async () => {
      const upload = await fixture.startUpload("growing.mp4", SAMPLE);
      await fixture.caughtUp();
      expect(eventsFor("growing.mp4")).toEqual([]);
      expect(fixture.server.hub.currentId).toBe(idOf(0));
      const listed = VideoListSchema.parse(await (await fetch(`${baseUrl()}/api/videos`)).json());
      expect(listed.total).toBe(0); // the listing agrees with the events: not there yet
      const stoppedAt = Date.now();
      await upload.complete();
      const added = await stream.waitFor((frame) => frame.event === "added", 3000);
      console.info(`upload complete -> added event: ${added.receivedAt - stoppedAt} ms`);
      const info = VideoInfoSchema.parse(JSON.parse(added.data ?? ""));
      expect(info).toMatchObject({
        filename: "growing.mp4",
        size: SAMPLE.length,
        media: { durationSeconds: 10 },
      });
      const head = await fetch(`${baseUrl()}/api/video/growing.mp4`, { method: "HEAD" });
      expect(info.etag).toMatch(/^"[0-9a-f]{32}-1"$/); // a multipart ETag: MD5 of MD5s, parts
      expect(info.etag).toBe(head.headers.get("etag"));
      await fixture.caughtUp();
      expect(fixture.server.hub.currentId).toBe(idOf(1));
      expect(eventsFor("growing.mp4")).toHaveLength(1);
    },
  );

  it("sends changed with the new ETag when a video is replaced (renamed over, put over), then removed", async () => {
    await fixture.put("clip.mp4", SAMPLE);
    const added = await stream.waitFor((frame) => frame.event === "added", 3000);
    const before = VideoInfoSchema.parse(JSON.parse(added.data ?? ""));

    if (kind === "directory") {
      const path = join(fixture.server.videoDir, "clip.mp4");
      writeFileSync(`${path}.tmp`, LATE_MOOV);
      renameSync(`${path}.tmp`, path);
    } else {
      await fixture.put("clip.mp4", LATE_MOOV);
    }
    const changed = await stream.waitFor((frame) => frame.event === "changed", 3000);
    const after = VideoInfoSchema.parse(JSON.parse(changed.data ?? ""));
    const head = await fetch(`${baseUrl()}/api/video/clip.mp4`, { method: "HEAD" });
    expect(after.etag).not.toBe(before.etag);
    expect(after.etag).toBe(head.headers.get("etag"));
    expect(after).toMatchObject({ size: LATE_MOOV.length, media: { faststart: false } });
    const info = VideoInfoSchema.parse(
      await (await fetch(`${baseUrl()}/api/videos/clip.mp4`)).json(),
    );
    expect(info.etag).toBe(after.etag); // the catalogue was re-read, not served from the old cache

    await fixture.remove("clip.mp4");
    const removed = await stream.waitFor((frame) => frame.event === "removed", 3000);
    expect(JSON.parse(removed.data ?? "")).toEqual({ filename: "clip.mp4" });
    expect((await fetch(`${baseUrl()}/api/videos/clip.mp4`)).status).toBe(404);
    expect(stream.events().map((frame) => frame.event)).toEqual(["added", "changed", "removed"]);
  });

  it("never announces dotfiles, partial names and nested videos", async () => {
    for (const name of [
      ".hidden.mp4",
      "a.mp4.part",
      "b.mp4.tmp",
      "c.mp4.crdownload",
      "sub/nested.mp4",
    ]) {
      await fixture.put(name, SAMPLE);
    }
    await fixture.caughtUp();
    expect(fixture.server.hub.currentId).toBe(idOf(0));
    expect(stream.events()).toEqual([]);
  });

  it("replays missed events in order after Last-Event-ID", async () => {
    const preamble = await stream.waitFor((frame) => frame.retry !== undefined);
    stream.close();
    // Subscribed before the put: a bucket polled every 100 ms may announce it at once.
    const watcher = await openEventStream(url());
    await fixture.put("brief.mp4", CAFE);
    await watcher.waitFor((frame) => frame.event === "added", 3000);
    await fixture.remove("brief.mp4");
    await watcher.waitFor((frame) => frame.event === "removed", 3000);
    watcher.close();

    stream = await openEventStream(url(), { lastEventId: preamble.id });
    await stream.waitFor((frame) => frame.retry !== undefined);
    expect(stream.events().map((frame) => [frame.event, frame.id])).toEqual([
      ["added", idOf(1)],
      ["removed", idOf(2)],
    ]);
    // Resuming from the newest id replays nothing.
    const upToDate = await openEventStream(url(), { lastEventId: idOf(2) });
    await upToDate.waitFor((frame) => frame.retry !== undefined);
    expect(upToDate.events()).toEqual([]);
    upToDate.close();
  });

  it("sends reset for an id older than the history or from another process", async () => {
    const { hub } = fixture.server;
    const first = idOf(1);
    for (let index = 0; index < 1005; index++) {
      hub.publish({ event: "removed", data: { filename: `gone-${index}.mp4` } });
    }
    for (const lastEventId of [first, "0badf00d-3", "garbage"]) {
      const resumed = await openEventStream(url(), { lastEventId });
      const reset = await resumed.waitFor((frame) => frame.event === "reset");
      expect(reset.id).toBe(idOf(1005));
      expect(JSON.parse(reset.data ?? "")).toEqual({
        reason: expect.stringContaining(lastEventId),
      });
      expect(resumed.events()).toHaveLength(1);
      resumed.close();
    }
    // The oldest kept event can still be resumed from: history holds the last 1,000.
    const edge = await openEventStream(url(), { lastEventId: idOf(5) });
    await edge.waitFor((frame) => frame.retry !== undefined);
    expect(edge.events()).toHaveLength(1000);
    expect(edge.events()[0]?.id).toBe(idOf(6));
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
