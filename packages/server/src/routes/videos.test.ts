/**
 * The listing and describe routes over real HTTP, on every store under test
 * (`test-support/store-kinds.ts`): the same library is put in a directory or a bucket, and the
 * same answers are expected from both.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import type { VideoInfo, VideoList } from "../openapi/schemas.js";
import type { StoreFixture, StoreKind } from "../test-support/store-fixture.js";
import { startFixtureFor, storeKindsUnderTest } from "../test-support/store-kinds.js";
import { makeTempDir } from "../test-support/temp-dir.js";

const SAMPLE = readFileSync(join(SAMPLES_DIR, "sample_final.mp4"));
const LATE_MOOV = readFileSync(join(SAMPLES_DIR, "late_moov.mp4"));
const CAFE = readFileSync(join(SAMPLES_DIR, "café clip.mp4"));
const TRUNCATED = LATE_MOOV.subarray(0, 150_000); // its moov (at the end) is cut off

/**
 * The library, oldest first, with the mtime (seconds since the epoch) a directory gives each
 * file. A bucket sets LastModified itself, in whole seconds, so there each object is put in a
 * later second than the one before: the order by `modified` is the same on both stores.
 */
const LIBRARY = [
  ["truncated.mp4", TRUNCATED, 1_700_000_000],
  ["café clip.mp4", CAFE, 1_700_000_100],
  ["late_moov.mp4", LATE_MOOV, 1_700_000_200],
  ["sample_final.mp4", SAMPLE, 1_700_000_300],
] as const;

/** Names that must never be listed, on any store. */
const NEVER_LISTED = [
  ".hidden.mp4",
  "upload.mp4.part",
  "upload.mp4.tmp",
  "dl.mp4.crdownload",
  "notes.txt",
  "folder.mp4/nested.mp4", // a folder named like a video (a common prefix in a bucket)
];

/** Waits until the clock has left the second `ms` falls in (S3 dates have whole seconds). */
async function waitForSecondAfter(ms: number): Promise<void> {
  const second = Math.floor(ms / 1000);
  while (Math.floor(Date.now() / 1000) === second) {
    await sleep(1000 - (Date.now() % 1000));
  }
}

/** The strong ETag each store gives `bytes`: inode-based on disk, the MD5 of a simple PUT in S3. */
function expectedEtag(kind: StoreKind, bytes: Uint8Array): unknown {
  return kind === "directory"
    ? expect.stringMatching(/^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/)
    : `"${createHash("md5").update(bytes).digest("hex")}"`;
}

describe.each(storeKindsUnderTest())("GET /api/videos on %s", (kind) => {
  let fixture: StoreFixture;
  let outside: string | undefined;
  /** When the newest video was put (the bucket dates it itself): [before, after] in ms. */
  let newestPut: [number, number] = [0, 0];

  beforeAll(async () => {
    fixture = await startFixtureFor(kind, { changeMs: kind === "s3" ? 100 : 50 });
    for (const [name, bytes, mtime] of LIBRARY) {
      if (kind === "directory") {
        await fixture.put(name, bytes);
        utimesSync(join(fixture.server.videoDir, name), mtime, mtime);
        continue;
      }
      await waitForSecondAfter(newestPut[1]);
      if (name === "sample_final.mp4") {
        // The bucket's alias.mp4 (a copy: objects have no links) is put just before
        // sample_final.mp4, in the same second or the one before. Either way it sorts as the
        // directory's symlink does, whose mtime ties with its target's: after it, newest first.
        await fixture.put("alias.mp4", bytes);
      }
      const before = Date.now();
      await fixture.put(name, bytes);
      newestPut = [before, Date.now()];
    }
    for (const hidden of NEVER_LISTED) {
      await fixture.put(hidden, "x");
    }
    if (kind === "directory") {
      // Links are a filesystem's: one to a file inside the directory is served as that file,
      // and none that leaves the directory (to a file or to the parent) is.
      const videoDir = fixture.server.videoDir;
      outside = makeTempDir("reel-outside-");
      writeFileSync(join(outside, "secret.mp4"), "outside");
      symlinkSync(join(outside, "secret.mp4"), join(videoDir, "escape.mp4"));
      symlinkSync("../", join(videoDir, "parent.mp4"));
      symlinkSync("sample_final.mp4", join(videoDir, "alias.mp4"));
    }
    await fixture.caughtUp();
  });

  afterAll(async () => {
    await fixture.close();
    if (outside !== undefined) {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  const getJson = async <T>(path: string): Promise<{ status: number; body: T; type: string }> => {
    const response = await fetch(`${fixture.server.baseUrl}${path}`);
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      body: (await response.json()) as T, // shape asserted by each test
    };
  };

  /** `modifiedAt` of the newest video: its fixed mtime on disk, the time of its PUT in S3. */
  const expectedNewestModifiedAt = (): unknown =>
    kind === "directory"
      ? new Date(1_700_000_300_000).toISOString()
      : expect.toSatisfy(
          (value: string) =>
            value.endsWith(".000Z") &&
            Date.parse(value) >= Math.floor(newestPut[0] / 1000) * 1000 &&
            Date.parse(value) <= newestPut[1],
          `a whole second within the PUT, ${new Date(newestPut[0]).toISOString()} to ${new Date(newestPut[1]).toISOString()}`,
        );

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
      modifiedAt: expectedNewestModifiedAt(),
      etag: expectedEtag(kind, SAMPLE),
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
    const stream = await fetch(`${fixture.server.baseUrl}${body.url}`, {
      headers: { Range: "bytes=0-99" },
    });
    expect(stream.status).toBe(206);
    expect((await stream.arrayBuffer()).byteLength).toBe(100);
  });

  it("gives the same ETag as the stream route", async () => {
    const { body } = await getJson<VideoInfo>("/api/videos/caf%C3%A9%20clip.mp4");
    const head = await fetch(`${fixture.server.baseUrl}${body.url}`, { method: "HEAD" });
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

describe.each(storeKindsUnderTest())("GET /api/videos/{filename} on %s", (kind) => {
  let fixture: StoreFixture;

  beforeAll(async () => {
    fixture = await startFixtureFor(kind, { changeMs: kind === "s3" ? 100 : 50 });
    // The shipped samples, as a producer would drop them into the store.
    for (const [name, bytes] of [
      ["sample_final.mp4", SAMPLE],
      ["late_moov.mp4", LATE_MOOV],
      ["café clip.mp4", CAFE],
    ] as const) {
      await fixture.put(name, bytes);
    }
    await fixture.caughtUp();
  });
  afterAll(() => fixture.close());

  it("answers one VideoInfo", async () => {
    const response = await fetch(`${fixture.server.baseUrl}/api/videos/sample_final.mp4`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      filename: "sample_final.mp4",
      media: { faststart: true },
    });
  });

  it("answers 404 for a valid name that is not in the library", async () => {
    const response = await fetch(`${fixture.server.baseUrl}/api/videos/missing.mp4`);
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
      const response = await fetch(`${fixture.server.baseUrl}/api/videos/${raw}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ detail: `Invalid filename: ${shown}` });
    });
  }
});
