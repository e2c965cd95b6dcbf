import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import type { VideoInfo, VideoList } from "../openapi/schemas.js";
import { makeTempDir, startTestServer, type TestServer } from "../test-support/server.js";

/** Copies a sample into `dir` under `name` with a fixed mtime (seconds since the epoch). */
function placeSample(dir: string, sample: string, name: string, mtime: number): void {
  copyFileSync(join(SAMPLES_DIR, sample), join(dir, name));
  utimesSync(join(dir, name), mtime, mtime);
}

describe("GET /api/videos", () => {
  let server: TestServer;
  let videoDir: string;
  let outside: string;

  beforeAll(async () => {
    videoDir = makeTempDir("reel-list-");
    outside = makeTempDir("reel-outside-");
    placeSample(videoDir, "sample_final.mp4", "sample_final.mp4", 1_700_000_300);
    placeSample(videoDir, "late_moov.mp4", "late_moov.mp4", 1_700_000_200);
    placeSample(videoDir, "café clip.mp4", "café clip.mp4", 1_700_000_100);
    writeFileSync(
      join(videoDir, "truncated.mp4"),
      readFileSync(join(SAMPLES_DIR, "late_moov.mp4")).subarray(0, 150_000),
    );
    utimesSync(join(videoDir, "truncated.mp4"), 1_700_000_000, 1_700_000_000);
    // None of these may ever be listed.
    for (const hidden of [
      ".hidden.mp4",
      "upload.mp4.part",
      "upload.mp4.tmp",
      "dl.mp4.crdownload",
      "notes.txt",
    ]) {
      writeFileSync(join(videoDir, hidden), "x");
    }
    mkdirSync(join(videoDir, "folder.mp4"));
    writeFileSync(join(outside, "secret.mp4"), "outside");
    symlinkSync(join(outside, "secret.mp4"), join(videoDir, "escape.mp4"));
    symlinkSync("../", join(videoDir, "parent.mp4"));
    symlinkSync("sample_final.mp4", join(videoDir, "alias.mp4"));
    server = await startTestServer({ videoDir });
  });

  afterAll(async () => {
    await server.close();
    rmSync(videoDir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const getJson = async <T>(path: string): Promise<{ status: number; body: T; type: string }> => {
    const response = await fetch(`${server.baseUrl}${path}`);
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      body: (await response.json()) as T, // shape asserted by each test
    };
  };

  it("lists only servable files, newest first by default", async () => {
    const { status, body, type } = await getJson<VideoList>("/api/videos");
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    // alias.mp4 links to sample_final.mp4 inside the directory, so it shares its mtime; on a
    // tie the filename decides, in the same direction as the sort.
    expect(body.items.map((item) => item.filename)).toEqual([
      "sample_final.mp4",
      "alias.mp4",
      "late_moov.mp4",
      "café clip.mp4",
      "truncated.mp4",
    ]);
    expect(body.total).toBe(5);
    expect(body.nextCursor).toBeNull();
  });

  it("describes each video with its media facts", async () => {
    const { body } = await getJson<VideoList>("/api/videos?sort=name&order=asc");
    const byName = new Map(body.items.map((item) => [item.filename, item]));
    expect(byName.get("sample_final.mp4")).toEqual({
      filename: "sample_final.mp4",
      size: 132313,
      modifiedAt: new Date(1_700_000_300_000).toISOString(),
      etag: expect.stringMatching(/^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/),
      contentType: "video/mp4",
      url: "/api/video/sample_final.mp4",
      media: {
        durationSeconds: 10,
        width: 320,
        height: 180,
        rotation: 0,
        videoCodec: expect.stringMatching(/^avc1\./),
        audioCodec: "mp4a.40.2",
        faststart: true,
      },
      poster: null,
      previews: null,
      subtitles: [],
    });
    expect(byName.get("late_moov.mp4")).toMatchObject({
      size: 232136,
      media: { durationSeconds: 6, faststart: false, audioCodec: "mp4a.40.2" },
    });
    expect(byName.get("café clip.mp4")).toMatchObject({
      size: 62597,
      url: "/api/video/caf%C3%A9%20clip.mp4",
      media: { durationSeconds: 6, width: 320, height: 240, faststart: true },
    });
  });

  it("lists a truncated MP4 with media null, and it still streams", async () => {
    const { body } = await getJson<VideoInfo>("/api/videos/truncated.mp4");
    expect(body).toMatchObject({ filename: "truncated.mp4", size: 150_000, media: null });
    const stream = await fetch(`${server.baseUrl}${body.url}`, {
      headers: { Range: "bytes=0-99" },
    });
    expect(stream.status).toBe(206);
    expect((await stream.arrayBuffer()).byteLength).toBe(100);
  });

  it("gives the same ETag as the stream route", async () => {
    const { body } = await getJson<VideoInfo>("/api/videos/caf%C3%A9%20clip.mp4");
    const head = await fetch(`${server.baseUrl}${body.url}`, { method: "HEAD" });
    expect(head.headers.get("etag")).toBe(body.etag);
  });

  it("sorts by size and by name in both orders", async () => {
    const order = async (query: string) =>
      (await getJson<VideoList>(`/api/videos?${query}`)).body.items.map((item) => item.filename);
    expect(await order("sort=size&order=asc")).toEqual([
      "café clip.mp4",
      "alias.mp4",
      "sample_final.mp4",
      "truncated.mp4",
      "late_moov.mp4",
    ]);
    expect(await order("sort=size")).toEqual([
      "late_moov.mp4",
      "truncated.mp4",
      "sample_final.mp4",
      "alias.mp4",
      "café clip.mp4",
    ]);
    expect(await order("sort=name&order=asc")).toEqual([
      "alias.mp4",
      "café clip.mp4",
      "late_moov.mp4",
      "sample_final.mp4",
      "truncated.mp4",
    ]);
    expect(await order("sort=name&order=desc")).toEqual([
      "truncated.mp4",
      "sample_final.mp4",
      "late_moov.mp4",
      "café clip.mp4",
      "alias.mp4",
    ]);
    expect(await order("sort=modified&order=asc")).toEqual([
      "truncated.mp4",
      "café clip.mp4",
      "late_moov.mp4",
      "alias.mp4",
      "sample_final.mp4",
    ]);
  });

  it("searches names case-insensitively", async () => {
    const { body } = await getJson<VideoList>("/api/videos?q=CAF%C3%89");
    expect(body.items.map((item) => item.filename)).toEqual(["café clip.mp4"]);
    expect(body.total).toBe(1);
  });

  it("pages with a cursor through every file exactly once", async () => {
    const seen: string[] = [];
    let path = "/api/videos?sort=name&order=asc&limit=2";
    for (let page = 0; page < 10; page++) {
      const { body } = await getJson<VideoList>(path);
      seen.push(...body.items.map((item) => item.filename));
      if (body.nextCursor === null) {
        break;
      }
      path = `/api/videos?sort=name&order=asc&limit=2&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual([
      "alias.mp4",
      "café clip.mp4",
      "late_moov.mp4",
      "sample_final.mp4",
      "truncated.mp4",
    ]);
  });

  describe("with bad query values", () => {
    const cases = [
      ["limit=0", "Invalid query parameter limit: must be 1–500"],
      ["limit=501", "Invalid query parameter limit: must be 1–500"],
      ["limit=ten", "Invalid query parameter limit: must be a whole number from 1 to 500"],
      ["sort=date", "Invalid query parameter sort"],
      ["order=up", "Invalid query parameter order"],
      ["cursor=%%%", "Invalid query parameter cursor"],
      ["cursor=bm90LWpzb24", "Invalid query parameter cursor: not a cursor from this server"],
    ] as const;
    for (const [query, detail] of cases) {
      it(`answers 400 naming the parameter for ${query}`, async () => {
        const { status, body, type } = await getJson<{ detail: string }>(`/api/videos?${query}`);
        expect(status).toBe(400);
        expect(type).toMatch(/^application\/json/);
        expect(body.detail).toContain(detail);
      });
    }

    it("answers 400 for a cursor made for another sort", async () => {
      const first = await getJson<VideoList>("/api/videos?sort=name&limit=1");
      const cursor = encodeURIComponent(first.body.nextCursor ?? "");
      const { status, body } = await getJson<{ detail: string }>(
        `/api/videos?sort=size&limit=1&cursor=${cursor}`,
      );
      expect(status).toBe(400);
      expect(body.detail).toBe(
        "Invalid query parameter cursor: it was made for sort=name&order=desc",
      );
    });
  });
});

describe("GET /api/videos/{filename}", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ videoDir: SAMPLES_DIR });
  });
  afterAll(() => server.close());

  it("answers one VideoInfo", async () => {
    const response = await fetch(`${server.baseUrl}/api/videos/sample_final.mp4`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      filename: "sample_final.mp4",
      media: { faststart: true },
    });
  });

  it("answers 404 for a valid name that is not in the library", async () => {
    const response = await fetch(`${server.baseUrl}/api/videos/missing.mp4`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: "Video not found: missing.mp4" });
  });

  for (const [raw, shown] of [
    ["..%2Fetc%2Fpasswd.mp4", "../etc/passwd.mp4"],
    [".hidden.mp4", ".hidden.mp4"],
    ["notes.txt", "notes.txt"],
    ["%ff.mp4", "%ff.mp4"],
  ] as const) {
    it(`answers 400 for the invalid name ${raw}`, async () => {
      const response = await fetch(`${server.baseUrl}/api/videos/${raw}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ detail: `Invalid filename: ${shown}` });
    });
  }
});
