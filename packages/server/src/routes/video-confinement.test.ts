/**
 * Nothing outside VIDEO_DIR is ever served, whatever the encoding trick. Requests go out through
 * raw `node:http` so `..`, `%2e` and backslashes reach the server exactly as an attacker sends them.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVALID_NAMES } from "../test-support/confinement-cases.js";
import { detailOf, type RawResponse, rawRequest } from "../test-support/raw-request.js";
import { makeTempDir, startTestServer, type TestServer } from "../test-support/server.js";
import { openEventStream } from "../test-support/sse-client.js";

const SECRET = "TOP-SECRET-OUTSIDE-THE-VIDEO-DIR";
const INSIDE = "inside-video-bytes";

/** Valid names that are not a servable file here, with the name the 404 detail gives. */
const UNSERVABLE_NAMES: Array<[path: string, name: string]> = [
  ["/api/video/%252e%252e%252fsecret.mp4", "%2e%2e%2fsecret.mp4"], // decoded once, never twice
  ["/api/video/x.mp4", "x.mp4"], // a directory
  ["/api/video/escape.mp4", "escape.mp4"], // absolute symlink out of the directory
  ["/api/video/relative-escape.mp4", "relative-escape.mp4"], // ../ symlink out
  ["/api/video/parent.mp4", "parent.mp4"], // symlink to the parent directory
  ["/api/video/to-dotfile.mp4", "to-dotfile.mp4"], // symlink to a dotfile inside
  ["/api/video/to-dotdir.mp4", "to-dotdir.mp4"], // symlink into a dot directory inside
  ["/api/video/to-dir.mp4", "to-dir.mp4"],
  ["/api/video/dangling.mp4", "dangling.mp4"],
  ["/api/video/loop-a.mp4", "loop-a.mp4"],
  ["/api/video/pipe.mp4", "pipe.mp4"], // a FIFO: must not hang the request either
  ["/api/video/caf%C3%A9.mp4", "café.mp4"],
];

/** The only names the directory serves: what every route and the listing agree on. */
const SERVABLE = ["alias.mp4", "café clip.mp4", "nested-alias.mp4", "ok.mp4"];

let outside: string;
let videoDir: string;
let server: TestServer;

function get(path: string): Promise<RawResponse> {
  return rawRequest(server.port, path);
}

function expectJsonError(response: RawResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(response.body.toString()).not.toContain(SECRET);
  expect(response.body.toString()).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
}

beforeAll(async () => {
  // <root>/videos is served; <root>/secret.mp4 and <root>/.env sit right next to it.
  outside = makeTempDir("reel-confinement-");
  videoDir = join(outside, "videos");
  mkdirSync(videoDir);
  writeFileSync(join(outside, "secret.mp4"), SECRET);
  writeFileSync(join(outside, ".env"), SECRET);
  writeFileSync(join(videoDir, "ok.mp4"), INSIDE);
  writeFileSync(join(videoDir, ".env"), SECRET);
  writeFileSync(join(videoDir, ".hidden.mp4"), SECRET);
  mkdirSync(join(videoDir, "x.mp4"));
  mkdirSync(join(videoDir, "sub"));
  writeFileSync(join(videoDir, "sub", "nested.mp4"), INSIDE);
  mkdirSync(join(videoDir, ".git"));
  writeFileSync(join(videoDir, ".git", "config.mp4"), SECRET);
  symlinkSync(join(outside, "secret.mp4"), join(videoDir, "escape.mp4"));
  symlinkSync("../secret.mp4", join(videoDir, "relative-escape.mp4"));
  symlinkSync("ok.mp4", join(videoDir, "alias.mp4"));
  symlinkSync("sub/nested.mp4", join(videoDir, "nested-alias.mp4"));
  symlinkSync(".hidden.mp4", join(videoDir, "to-dotfile.mp4"));
  symlinkSync(".git/config.mp4", join(videoDir, "to-dotdir.mp4"));
  symlinkSync("sub", join(videoDir, "to-dir.mp4"));
  symlinkSync("missing.mp4", join(videoDir, "dangling.mp4"));
  symlinkSync("loop-b.mp4", join(videoDir, "loop-a.mp4"));
  symlinkSync("loop-a.mp4", join(videoDir, "loop-b.mp4"));
  symlinkSync(outside, join(videoDir, "parent.mp4"));
  execFileSync("mkfifo", [join(videoDir, "pipe.mp4")]);
  writeFileSync(join(videoDir, "café clip.mp4"), INSIDE);
  server = await startTestServer({ videoDir, stableMs: 50 });
});

afterAll(async () => {
  await server.close();
  rmSync(outside, { recursive: true, force: true });
});

describe("confinement of GET /api/video/{filename}", () => {
  it("serves a plain file inside the directory", async () => {
    const response = await get("/api/video/ok.mp4");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(INSIDE);
  });

  describe.each(INVALID_NAMES)("%s", (path, detail) => {
    it("answers 400 naming the decoded filename", async () => {
      const response = await get(path);
      expectJsonError(response, 400);
      expect(detailOf(response)).toBe(detail);
    });
  });

  describe.each(UNSERVABLE_NAMES)("%s", (path, name) => {
    it("answers 404 Video not found", async () => {
      const response = await get(path);
      expectJsonError(response, 404);
      expect(detailOf(response)).toBe(`Video not found: ${name}`);
    });
  });

  describe.each([
    "/api/video/../secret.mp4",
    "/api/video/../../etc/passwd",
    "/api/video/%2e%2e/secret.mp4",
    "/api/video//etc/passwd",
    "/api/video/sub/nested.mp4",
    "/api/video/..\\secret.mp4",
    "/api/secret.mp4",
  ])("%s", (path) => {
    it("never reaches a file outside: a JSON 400 or 404", async () => {
      const response = await get(path);
      expect([400, 404]).toContain(response.status);
      expect(response.body.toString()).not.toContain(SECRET);
      if (response.body.length > 0) {
        expectJsonError(response, response.status);
      }
    });
  });

  it("serves a symlink whose target stays inside the directory", async () => {
    for (const name of ["alias.mp4", "nested-alias.mp4"]) {
      const response = await get(`/api/video/${name}`);
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(INSIDE);
    }
  });

  it("accepts a percent-encoded name with spaces and non-ASCII letters", async () => {
    const response = await get("/api/video/caf%C3%A9%20clip.mp4");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(INSIDE);
  });
});

/** The same path against the describe route: `/api/video/x` → `/api/videos/x`. */
const describePath = (path: string): string => path.replace(/^\/api\/video\//, "/api/videos/");

describe("confinement of GET /api/videos/{filename} (describe): the stream route's rule", () => {
  describe.each(INVALID_NAMES)("%s", (path, detail) => {
    it("answers the same 400", async () => {
      const response = await get(describePath(path));
      expectJsonError(response, 400);
      expect(detailOf(response)).toBe(detail);
    });
  });

  describe.each(UNSERVABLE_NAMES)("%s", (path, name) => {
    it("answers the same 404", async () => {
      const response = await get(describePath(path));
      expectJsonError(response, 404);
      expect(detailOf(response)).toBe(`Video not found: ${name}`);
    });
  });

  it.each(SERVABLE)("describes %s, which the stream route serves", async (name) => {
    const response = await get(`/api/videos/${encodeURIComponent(name)}`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toMatchObject({ filename: name });
  });
});

describe("confinement of GET /api/videos (listing): the stream route's rule", () => {
  it("lists exactly the names the stream route serves", async () => {
    const response = await get("/api/videos?limit=500&sort=name&order=asc");
    expect(response.status).toBe(200);
    const list: unknown = JSON.parse(response.body.toString());
    const names =
      typeof list === "object" && list !== null && "items" in list && Array.isArray(list.items)
        ? list.items.map((item: { filename: string }) => item.filename)
        : [];
    expect(names).toEqual(SERVABLE);
    for (const name of names) {
      expect((await get(`/api/video/${encodeURIComponent(name)}`)).status).toBe(200);
    }
  });
});

describe("confinement of the live library (watcher): the stream route's rule", () => {
  let liveDir: string;
  let live: TestServer;

  beforeAll(async () => {
    liveDir = join(outside, "live");
    mkdirSync(liveDir);
    writeFileSync(join(liveDir, ".hidden.mp4"), SECRET);
    mkdirSync(join(liveDir, ".private"));
    writeFileSync(join(liveDir, ".private", "secret.mp4"), SECRET);
    mkdirSync(join(liveDir, "sub"));
    live = await startTestServer({ videoDir: liveDir, stableMs: 50 });
  });

  afterAll(async () => {
    await live.close();
  });

  it("announces none of the tricks created while it runs, and lists none of them", async () => {
    const events = await openEventStream(`${live.baseUrl}/api/videos/events`);
    try {
      const tricks: Record<string, () => void> = {
        "clip.mp4": () => symlinkSync(".private/secret.mp4", join(liveDir, "clip.mp4")),
        "to-dotfile.mp4": () => symlinkSync(".hidden.mp4", join(liveDir, "to-dotfile.mp4")),
        "escape.mp4": () => symlinkSync(join(outside, "secret.mp4"), join(liveDir, "escape.mp4")),
        "relative-escape.mp4": () =>
          symlinkSync("../secret.mp4", join(liveDir, "relative-escape.mp4")),
        "parent.mp4": () => symlinkSync(outside, join(liveDir, "parent.mp4")),
        "to-dir.mp4": () => symlinkSync("sub", join(liveDir, "to-dir.mp4")),
        "dangling.mp4": () => symlinkSync("missing.mp4", join(liveDir, "dangling.mp4")),
        "loop-a.mp4": () => {
          symlinkSync("loop-b.mp4", join(liveDir, "loop-a.mp4"));
          symlinkSync("loop-a.mp4", join(liveDir, "loop-b.mp4"));
        },
        "x.mp4": () => mkdirSync(join(liveDir, "x.mp4")),
        "pipe.mp4": () => execFileSync("mkfifo", [join(liveDir, "pipe.mp4")]),
        ".later.mp4": () => writeFileSync(join(liveDir, ".later.mp4"), SECRET),
      };
      for (const create of Object.values(tricks)) {
        create();
      }
      // inotify reports in order: once the sentinel is announced, every trick's event has been
      // seen, and `whenIdle` waits until each of them has been settled and judged.
      writeFileSync(join(liveDir, "sentinel.mp4"), INSIDE);
      await events.waitFor(
        (frame) => frame.event === "added" && frame.data?.includes("sentinel.mp4") === true,
      );
      await live.library.whenIdle();

      const announced = events.events().map((frame) => frame.data ?? "");
      for (const name of [...Object.keys(tricks), "loop-b.mp4"]) {
        expect(announced.filter((data) => data.includes(`"${name}"`))).toEqual([]);
        const encoded = encodeURIComponent(name);
        const stream = await rawRequest(live.port, `/api/video/${encoded}`);
        const described = await rawRequest(live.port, `/api/videos/${encoded}`);
        expect(stream.status).toBe(described.status);
        expect([400, 404]).toContain(stream.status);
        expect(stream.body.toString()).not.toContain(SECRET);
      }
      const listing = await rawRequest(live.port, "/api/videos");
      expect(JSON.parse(listing.body.toString())).toMatchObject({
        items: [{ filename: "sentinel.mp4" }],
        total: 1,
      });
    } finally {
      events.close();
    }
  });
});
