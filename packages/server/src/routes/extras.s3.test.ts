/**
 * The extras on a real Ceph RADOS Gateway bucket: ffmpeg reads the object through a presigned
 * URL (ranged GETs, never a download into Reel), and a sidecar `.srt` object beside the video is
 * listed and served as WebVTT.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VideoInfo } from "../openapi/schemas.js";
import { isJpeg, SAMPLE } from "../test-support/media.js";
import { injectObjectStore } from "../test-support/object-store/provided.js";
import { type StoreFixture, startStoreFixture } from "../test-support/store-fixture.js";

const SRT = "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello from S3\r\n";

describe("media extras on an S3 bucket", () => {
  let fixture: StoreFixture;
  const get = (path: string) => fetch(`${fixture.server.baseUrl}${path}`);
  const info = async (): Promise<VideoInfo | undefined> => {
    const answer = await get("/api/videos/lecture%20final.mp4");
    return answer.status === 200 ? ((await answer.json()) as VideoInfo) : undefined;
  };

  beforeAll(async () => {
    fixture = await startStoreFixture("s3", {
      objectStore: injectObjectStore(),
      changeMs: 100,
      server: { extras: true },
    });
    // The sidecar first: the video is probed, sidecars included, when the poll finds it.
    await fixture.put("lecture final.en.srt", SRT);
    await fixture.put("lecture final.mp4", readFileSync(SAMPLE));
  });
  afterAll(() => fixture.close());

  it("renders the poster from the object and lists it", async () => {
    // Listed means queued; then wait for the queue itself rather than race a render that runs at
    // nice 19 (minutes on a machine busy with other work).
    await fixture.waitListed("lecture final.mp4");
    await fixture.server.extras.whenIdle();
    await expect
      .poll(async () => (await info())?.poster, { timeout: 30_000 })
      .toBe("/api/videos/lecture%20final.mp4/poster.jpg");
    const poster = await get("/api/videos/lecture%20final.mp4/poster.jpg");
    expect(poster.status).toBe(200);
    expect(poster.headers.get("content-type")).toBe("image/jpeg");
    expect(isJpeg(new Uint8Array(await poster.arrayBuffer()))).toBe(true);
    const track = await (await get("/api/videos/lecture%20final.mp4/previews.vtt")).text();
    expect(track.split("\n").filter((line) => line.includes("#xywh="))).toHaveLength(10);
  }, 240_000); // renders at nice 19: minutes when the machine is busy with other work

  it("lists the sidecar and serves it converted, never as a video", async () => {
    await expect
      .poll(async () => (await info())?.subtitles, { timeout: 30_000 })
      .toEqual([
        {
          lang: "en",
          label: "English",
          url: "/api/videos/lecture%20final.mp4/subtitles/en.vtt",
        },
      ]);
    const vtt = await get("/api/videos/lecture%20final.mp4/subtitles/en.vtt");
    expect(vtt.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(await vtt.text()).toBe("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello from S3\n");
    const list = (await (await get("/api/videos")).json()) as { items: VideoInfo[] };
    expect(list.items.map((item) => item.filename)).toEqual(["lecture final.mp4"]);
  });

  it("finds a sidecar uploaded after the video at the next listing", async () => {
    await fixture.put("lecture final.fr.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nSalut\n");
    await expect
      .poll(async () => (await info())?.subtitles.map((track) => track.lang), { timeout: 30_000 })
      .toEqual(["en", "fr"]);
    const vtt = await get("/api/videos/lecture%20final.mp4/subtitles/fr.vtt");
    expect(await vtt.text()).toBe("WEBVTT\n\n00:00.000 --> 00:01.000\nSalut\n");
  });
});
