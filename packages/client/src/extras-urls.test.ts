/**
 * `posterUrl`, `previewsUrl` and `subtitleUrl` against a real server that renders with the real
 * ffmpeg: each agrees with the path `VideoInfo` gives and answers with its media type.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir, startTestServer, type TestServer } from "@reel/server/test-support";
import { copySample } from "@reel/server/test-support/media";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReelClient, type ReelClient, type VideoInfo } from "./index.js";

const NAME = "café clip #1.mp4";

describe("the extras URLs", () => {
  let server: TestServer;
  let client: ReelClient;
  let video: VideoInfo;
  const videoDir = makeTempDir("reel-client-extras-");

  beforeAll(async () => {
    copySample(videoDir, NAME);
    writeFileSync(join(videoDir, "café clip #1.en.srt"), "1\n00:00:01,000 --> 00:00:02,000\nHi\n");
    server = await startTestServer({ videoDir, extras: true });
    await server.extras.whenIdle();
    client = createReelClient({ baseUrl: server.baseUrl });
    video = await client.getVideo(NAME);
  });
  afterAll(async () => {
    await server.close();
    rmSync(videoDir, { recursive: true, force: true });
  });

  it("posterUrl is the absolute form of VideoInfo.poster and serves a JPEG", async () => {
    expect(video.poster).not.toBeNull();
    expect(client.posterUrl(NAME)).toBe(new URL(video.poster ?? "", server.baseUrl).href);
    const answer = await fetch(client.posterUrl(NAME));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/jpeg");
    await answer.arrayBuffer();
  });

  it("previewsUrl serves the thumbnails track", async () => {
    expect(client.previewsUrl(NAME)).toBe(new URL(video.previews ?? "", server.baseUrl).href);
    const answer = await fetch(client.previewsUrl(NAME));
    expect(answer.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(await answer.text()).toMatch(/^WEBVTT\n/);
  });

  it("subtitleUrl serves the listed track as WebVTT", async () => {
    expect(video.subtitles).toEqual([
      {
        lang: "en",
        label: "English",
        url: "/api/videos/caf%C3%A9%20clip%20%231.mp4/subtitles/en.vtt",
      },
    ]);
    const url = client.subtitleUrl(NAME, "en");
    expect(url).toBe(new URL(video.subtitles[0]?.url ?? "", server.baseUrl).href);
    expect(await (await fetch(url)).text()).toBe(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHi\n",
    );
  });
});
