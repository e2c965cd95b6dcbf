/**
 * Posters, seek previews and sidecar subtitles over real HTTP, rendered by the real ffmpeg into a
 * temporary CACHE_DIR: what VideoInfo says, what the routes answer (200, 304, 404, HEAD, ETag,
 * types), the `changed` event, restarts, replacement, pruning, failure and no ffmpeg at all.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { libraryCacheDir } from "../extras/cache.js";
import type { VideoInfo } from "../openapi/schemas.js";
import {
  copySample,
  imageFacts,
  isJpeg,
  LATE_MOOV,
  SAMPLE,
  writeTruncated,
} from "../test-support/media.js";
import { rawRequest } from "../test-support/raw-request.js";
import {
  makeTempDir,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from "../test-support/server.js";
import { openEventStream } from "../test-support/sse-client.js";

let videoDir: string;
let cacheDir: string;
let server: TestServer | undefined;

beforeEach(() => {
  videoDir = makeTempDir("reel-extras-videos-");
  cacheDir = makeTempDir("reel-extras-cache-");
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(videoDir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Starts Reel over `videoDir` with extras on and the test's own cache. */
async function start(overrides: Omit<TestServerOptions, "https"> = {}): Promise<TestServer> {
  const running = await startTestServer({
    videoDir,
    cacheDir,
    extras: true,
    stableMs: 50,
    ...overrides,
  });
  server = running;
  return running;
}

/** Starts Reel and waits until the first listing's renders are done. */
async function startRendered(): Promise<TestServer> {
  const running = await start();
  await running.extras.whenIdle();
  return running;
}

async function info(running: TestServer, name: string): Promise<VideoInfo> {
  const answer = await fetch(`${running.baseUrl}/api/videos/${encodeURIComponent(name)}`);
  expect(answer.status).toBe(200);
  return (await answer.json()) as VideoInfo;
}

/** The entries of the running library (its own folder inside CACHE_DIR). */
const cacheEntries = () => {
  const dir = libraryCacheDir(cacheDir, server?.store.location ?? "");
  return existsSync(dir) ? readdirSync(dir).filter((name) => /^[0-9a-f]{64}$/.test(name)) : [];
};

// Renders run at nice 19: on a machine busy with other work they take many times their ~0.5 s.
describe("media extras", { timeout: 120_000 }, () => {
  describe("once a video is rendered", () => {
    it("lists its poster and previews paths, percent-encoded", async () => {
      copySample(videoDir, "café clip.mp4");
      const running = await startRendered();
      const video = await info(running, "café clip.mp4");
      expect(video.poster).toBe("/api/videos/caf%C3%A9%20clip.mp4/poster.jpg");
      expect(video.previews).toBe("/api/videos/caf%C3%A9%20clip.mp4/previews.vtt");
      expect(video.subtitles).toEqual([]);
    });

    it("renders a name with a leading dash, quotes and a colon from the store's own source", async () => {
      const name = `-x 'q' "d" a:b.mp4`;
      copySample(videoDir, name);
      const running = await startRendered();
      expect((await info(running, name)).poster).toBe(
        `/api/videos/${encodeURIComponent(name)}/poster.jpg`,
      );
    });

    it("serves the poster as a JPEG with a strong ETag, revalidated with 304", async () => {
      copySample(videoDir, "a.mp4");
      const running = await startRendered();
      const url = `${running.baseUrl}/api/videos/a.mp4/poster.jpg`;
      const answer = await fetch(url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("image/jpeg");
      expect(answer.headers.get("cache-control")).toBe("no-cache");
      const etag = answer.headers.get("etag") ?? "";
      expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/
      const bytes = new Uint8Array(await answer.arrayBuffer());
      expect(isJpeg(bytes)).toBe(true);
      expect(Number(answer.headers.get("content-length"))).toBe(bytes.length);
      const file = join(cacheDir, "poster-check.jpg");
      writeFileSync(file, bytes);
      expect(imageFacts(file)).toMatchObject({ width: 320, height: 180 });

      // node:http, as a browser revalidates: fetch() adds `Cache-Control: no-cache` to a
      // conditional request (Fetch §4.5), which rightly skips the 304.
      const again = await rawRequest(running.port, "/api/videos/a.mp4/poster.jpg", {
        headers: { "If-None-Match": etag },
      });
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers["cache-control"]).toBe("no-cache");
      expect(again.body.length).toBe(0);

      const head = await fetch(url, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(bytes.length));
      expect(head.headers.get("etag")).toBe(etag);
      expect(await head.text()).toBe("");
    });

    it("serves a previews track whose cues point at sheets that are served", async () => {
      copySample(videoDir, "a b.mp4");
      const running = await startRendered();
      const answer = await fetch(`${running.baseUrl}/api/videos/a%20b.mp4/previews.vtt`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
      expect(answer.headers.get("etag")).toMatch(/^"[^"]+"$/);
      const track = await answer.text();
      const cues = track.split("\n").filter((line) => line.includes("#xywh="));
      expect(track.startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n")).toBe(true);
      expect(cues).toHaveLength(10);
      expect(cues[0]).toBe("/api/videos/a%20b.mp4/previews/0.jpg#xywh=0,0,160,90");
      expect(cues[9]).toBe("/api/videos/a%20b.mp4/previews/0.jpg#xywh=640,90,160,90");

      const sheet = await fetch(`${running.baseUrl}${(cues[0] ?? "").split("#")[0]}`);
      expect(sheet.status).toBe(200);
      expect(sheet.headers.get("content-type")).toBe("image/jpeg");
      expect(isJpeg(new Uint8Array(await sheet.arrayBuffer()))).toBe(true);

      const past = await fetch(`${running.baseUrl}/api/videos/a%20b.mp4/previews/1.jpg`);
      expect(past.status).toBe(404);
      expect(await past.json()).toEqual({ detail: "Preview sheet not ready: a b.mp4 (1)" });
    });

    it("answers 400 for a bad name or sheet and 404 for a video not in the library", async () => {
      copySample(videoDir, "a.mp4");
      const running = await startRendered();
      const cases: Array<[string, number, string]> = [
        ["/api/videos/.hidden.mp4/poster.jpg", 400, "Invalid filename: .hidden.mp4"],
        ["/api/videos/notes.txt/previews.vtt", 400, "Invalid filename: notes.txt"],
        ["/api/videos/%ff.mp4/poster.jpg", 400, "Invalid filename: %ff.mp4"],
        [
          "/api/videos/a.mp4/previews/x.jpg",
          400,
          "Invalid path parameter sheet: must be a sheet number (0, 1, …)",
        ],
        ["/api/videos/missing.mp4/poster.jpg", 404, "Video not found: missing.mp4"],
        ["/api/videos/missing.mp4/subtitles/en.vtt", 404, "Video not found: missing.mp4"],
      ];
      for (const [path, status, detail] of cases) {
        const answer = await fetch(`${running.baseUrl}${path}`);
        expect([path, answer.status]).toEqual([path, status]);
        expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
        expect(await answer.json()).toEqual({ detail });
      }
    });
  });

  it("announces `changed` with the poster once a new video is rendered", async () => {
    const running = await start();
    const stream = await openEventStream(`${running.baseUrl}/api/videos/events`);
    try {
      copySample(videoDir, "new.mp4.part");
      renameSync(join(videoDir, "new.mp4.part"), join(videoDir, "new.mp4"));
      const added = await stream.waitFor((frame) => frame.event === "added", 10_000);
      expect(JSON.parse(added.data ?? "{}")).toMatchObject({ filename: "new.mp4", poster: null });
      const changed = await stream.waitFor((frame) => frame.event === "changed", 100_000);
      expect(JSON.parse(changed.data ?? "{}")).toMatchObject({
        filename: "new.mp4",
        poster: "/api/videos/new.mp4/poster.jpg",
        previews: "/api/videos/new.mp4/previews.vtt",
      });
    } finally {
      stream.close();
    }
  });

  it("keeps answering ranged GETs byte-exactly while it renders 20 new videos", async () => {
    const sample = readFileSync(SAMPLE);
    for (let index = 0; index < 20; index++) {
      copySample(videoDir, `clip-${index}.mp4`);
    }
    const running = await start();
    expect(running.extras.status().pending).toBeGreaterThan(10); // a render takes ~0.5 s
    let answered = 0;
    while (running.extras.status().pending > 0) {
      const offset = (answered * 7919) % (sample.length - 1000);
      const answer = await rawRequest(running.port, `/api/video/clip-${answered % 20}.mp4`, {
        headers: { Range: `bytes=${offset}-${offset + 999}` },
      });
      expect(answer.status).toBe(206);
      expect(answer.body.equals(sample.subarray(offset, offset + 1000))).toBe(true);
      answered += 1;
    }
    expect(answered).toBeGreaterThan(20); // served all along, not after the queue
    await running.extras.whenIdle();
    expect(cacheEntries()).toHaveLength(20);
  }, 1_200_000); // a hang guard only: 20 renders at nice 19 get ~2 % of a core under stress-ng --cpu 2 (~6 min)

  it("keeps its work across a restart: nothing is rendered again", async () => {
    copySample(videoDir, "a.mp4");
    copySample(videoDir, "b.mp4", LATE_MOOV);
    const first = await startRendered();
    expect(first.extras.runCount).toBe(6); // ffprobe + poster + sheets, twice
    await first.close();

    const second = await start();
    expect((await info(second, "a.mp4")).poster).toBe("/api/videos/a.mp4/poster.jpg");
    expect((await info(second, "b.mp4")).previews).toBe("/api/videos/b.mp4/previews.vtt");
    await second.extras.whenIdle();
    expect(second.extras.runCount).toBe(0);
    expect(cacheEntries()).toHaveLength(2);
  });

  it("renders a replaced video again and drops the old version's entry", async () => {
    copySample(videoDir, "a.mp4");
    const running = await startRendered();
    const before = await info(running, "a.mp4");
    const poster = await fetch(`${running.baseUrl}/api/videos/a.mp4/poster.jpg`);
    const oldEtag = poster.headers.get("etag");
    await poster.arrayBuffer();

    copySample(videoDir, "a.mp4.tmp", LATE_MOOV);
    renameSync(join(videoDir, "a.mp4.tmp"), join(videoDir, "a.mp4"));
    await expect
      .poll(async () => (await info(running, "a.mp4")).etag, { timeout: 10_000 })
      .not.toBe(before.etag);
    await running.extras.whenIdle();
    const after = await info(running, "a.mp4");
    expect(after.poster).toBe("/api/videos/a.mp4/poster.jpg");
    const fresh = await rawRequest(running.port, "/api/videos/a.mp4/poster.jpg", {
      headers: { "If-None-Match": oldEtag ?? "" },
    });
    expect(fresh.status).toBe(200); // the old copy is stale: new ETag, new bytes
    expect(fresh.headers.etag).not.toBe(oldEtag);
    await expect.poll(() => cacheEntries().length, { timeout: 5000 }).toBe(1);
  });

  it("never prunes another library's entries in a shared CACHE_DIR", async () => {
    copySample(videoDir, "a.mp4");
    const first = await startRendered();
    const otherDir = makeTempDir("reel-extras-other-");
    copySample(otherDir, "b.mp4");
    // A second library (another VIDEO_DIR) on the same cache: its start prunes what it does not
    // list, which must not include the first library's posters.
    const second = await startTestServer({ videoDir: otherDir, cacheDir, extras: true });
    try {
      await second.extras.whenIdle();
      expect((await info(second, "b.mp4")).poster).toBe("/api/videos/b.mp4/poster.jpg");
      const poster = await fetch(`${first.baseUrl}/api/videos/a.mp4/poster.jpg`);
      expect(poster.status).toBe(200);
      expect((await poster.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect(cacheEntries()).toHaveLength(1);
    } finally {
      await second.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it("prunes the entries of videos that are gone, also while Reel was down", async () => {
    copySample(videoDir, "a.mp4");
    copySample(videoDir, "b.mp4");
    copySample(videoDir, "c.mp4");
    const first = await startRendered();
    expect(cacheEntries()).toHaveLength(3);
    rmSync(join(videoDir, "a.mp4"));
    await expect.poll(() => cacheEntries().length, { timeout: 10_000 }).toBe(2);
    await first.close();

    rmSync(join(videoDir, "b.mp4"));
    await start();
    await expect.poll(() => cacheEntries().length, { timeout: 5000 }).toBe(1);
  });

  it("marks a truncated MP4 failed once: listed and streamable, never retried", async () => {
    writeTruncated(videoDir, "broken.mp4");
    const first = await startRendered();
    expect(first.extras.runCount).toBe(1); // the probe fails; no ffmpeg run follows
    const video = await info(first, "broken.mp4");
    expect(video).toMatchObject({ poster: null, previews: null });
    const stream = await fetch(`${first.baseUrl}${video.url}`);
    expect(stream.status).toBe(200);
    expect((await stream.arrayBuffer()).byteLength).toBe(video.size);
    const poster = await fetch(`${first.baseUrl}/api/videos/broken.mp4/poster.jpg`);
    expect(poster.status).toBe(404);
    expect(await poster.json()).toEqual({ detail: "Poster not ready: broken.mp4" });
    await first.close();

    const second = await startRendered();
    expect(second.extras.runCount).toBe(0);
    expect((await info(second, "broken.mp4")).poster).toBeNull();
  });

  it("kills a render that outlives EXTRAS_TIMEOUT_MS and marks it failed", async () => {
    copySample(videoDir, "a.mp4");
    const running = await start({ extrasTimeoutMs: 1 });
    await running.extras.whenIdle();
    expect(running.extras.runCount).toBe(1);
    expect((await info(running, "a.mp4")).poster).toBeNull();
    expect(cacheEntries()).toHaveLength(1); // the failure is remembered
  });

  describe("without ffmpeg", () => {
    it("says so in /api/health, lists null extras and streams as before", async () => {
      copySample(videoDir, "a.mp4");
      const running = await start({ ffmpegPath: "/nonexistent/ffmpeg" });
      const health = await fetch(`${running.baseUrl}/api/health`);
      expect(await health.json()).toEqual({
        status: "ok",
        videos: 1,
        extras: {
          enabled: false,
          reason: "FFMPEG_PATH /nonexistent/ffmpeg is not an executable file",
          pending: 0,
        },
      });
      expect(await info(running, "a.mp4")).toMatchObject({ poster: null, previews: null });
      const ranged = await fetch(`${running.baseUrl}/api/video/a.mp4`, {
        headers: { Range: "bytes=0-99" },
      });
      expect(ranged.status).toBe(206);
      expect((await ranged.arrayBuffer()).byteLength).toBe(100);
      expect(cacheEntries()).toEqual([]);
      const poster = await fetch(`${running.baseUrl}/api/videos/a.mp4/poster.jpg`);
      expect(poster.status).toBe(404);
      await poster.arrayBuffer();
    });
  });

  it("reports the extras as enabled in /api/health", async () => {
    const running = await start();
    const health = await fetch(`${running.baseUrl}/api/health`);
    expect(await health.json()).toEqual({
      status: "ok",
      videos: 0,
      extras: { enabled: true, reason: null, pending: 0 },
    });
  });
});

describe("sidecar subtitles", () => {
  const SRT =
    "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello, world\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nBye\r\n";
  const VTT = "WEBVTT\n\n00:00.500 --> 00:01.000\nBonjour\n";

  it("lists NAME.LANG.srt and NAME.vtt with the video, never as videos themselves", async () => {
    copySample(videoDir, "lecture_final.mp4");
    writeFileSync(join(videoDir, "lecture_final.en.srt"), SRT);
    writeFileSync(join(videoDir, "lecture_final.vtt"), VTT);
    writeFileSync(join(videoDir, "lecture_final.fr.vtt"), VTT);
    writeFileSync(join(videoDir, "lecture_final.fr.srt"), SRT); // the .vtt of fr wins
    writeFileSync(join(videoDir, "other.en.srt"), SRT);
    const running = await start({ extras: false });
    const list = (await (await fetch(`${running.baseUrl}/api/videos`)).json()) as {
      items: VideoInfo[];
    };
    expect(list.items.map((item) => item.filename)).toEqual(["lecture_final.mp4"]);
    expect(list.items[0]?.subtitles).toEqual([
      { lang: "en", label: "English", url: "/api/videos/lecture_final.mp4/subtitles/en.vtt" },
      { lang: "fr", label: "French", url: "/api/videos/lecture_final.mp4/subtitles/fr.vtt" },
      { lang: "und", label: "Subtitles", url: "/api/videos/lecture_final.mp4/subtitles/und.vtt" },
    ]);
    const asVideo = await fetch(`${running.baseUrl}/api/video/lecture_final.en.srt`);
    expect(asVideo.status).toBe(400);
    await asVideo.arrayBuffer();
  });

  it("serves SRT converted to WebVTT and WebVTT as it is, with ETag and 304", async () => {
    copySample(videoDir, "lecture_final.mp4");
    writeFileSync(join(videoDir, "lecture_final.en.srt"), SRT);
    writeFileSync(join(videoDir, "lecture_final.fr.vtt"), VTT);
    const running = await start({ extras: false });
    const base = `${running.baseUrl}/api/videos/lecture_final.mp4/subtitles`;

    const en = await fetch(`${base}/en.vtt`);
    expect(en.status).toBe(200);
    expect(en.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(await en.text()).toBe(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello, world\n\n2\n00:00:03.000 --> 00:00:04.000\nBye\n",
    );
    const etag = en.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await rawRequest(running.port, "/api/videos/lecture_final.mp4/subtitles/en.vtt", {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const fr = await fetch(`${base}/fr.vtt`);
    expect(await fr.text()).toBe(VTT);

    const head = await fetch(`${base}/fr.vtt`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(VTT)));

    const missing = await fetch(`${base}/de.vtt`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      detail: "Subtitles not found: lecture_final.mp4 (de)",
    });
  });

  it("announces `changed` when a sidecar is added or removed later", async () => {
    copySample(videoDir, "talk.mp4");
    const running = await start({ extras: false });
    const stream = await openEventStream(`${running.baseUrl}/api/videos/events`);
    try {
      writeFileSync(join(videoDir, "talk.de.srt"), SRT);
      const added = await stream.waitFor((frame) => frame.event === "changed", 10_000);
      expect(JSON.parse(added.data ?? "{}")).toMatchObject({
        filename: "talk.mp4",
        subtitles: [{ lang: "de", label: "German", url: "/api/videos/talk.mp4/subtitles/de.vtt" }],
      });
      rmSync(join(videoDir, "talk.de.srt"));
      await stream.waitFor(
        (frame) => frame.event === "changed" && frame !== added && frame.data !== added.data,
        10_000,
      );
      expect((await info(running, "talk.mp4")).subtitles).toEqual([]);
      expect(stream.events().filter((frame) => frame.event === "added")).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it("lists NAME.srt as a track of undetermined language", async () => {
    writeFileSync(join(videoDir, "clip.mp4"), readFileSync(SAMPLE));
    writeFileSync(join(videoDir, "clip.srt"), SRT);
    const running = await start({ extras: false });
    expect((await info(running, "clip.mp4")).subtitles).toEqual([
      { lang: "und", label: "Subtitles", url: "/api/videos/clip.mp4/subtitles/und.vtt" },
    ]);
  });
});
