/**
 * Nothing outside the store is ever served, whatever the encoding trick: nothing outside VIDEO_DIR
 * on a directory, no key outside the prefix in an S3 bucket. Requests go out through raw
 * `node:http` so `..`, `%2e` and backslashes reach the server exactly as an attacker sends them.
 * Every trick of the request (INVALID_NAMES, raw paths, escapes aimed at the secrets) runs on
 * every store under test (`storeKindsUnderTest`); the traps planted in the store are each store's
 * own: symlinks, a FIFO and folders on a directory; keys outside the prefix, nested keys and a
 * folder marker in a bucket.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVALID_NAMES } from "../test-support/confinement-cases.js";
import { detailOf, type RawResponse, rawRequest } from "../test-support/raw-request.js";
import { makeTempDir } from "../test-support/server.js";
import { openEventStream } from "../test-support/sse-client.js";
import type { StoreFixture, StoreKind } from "../test-support/store-fixture.js";
import { startFixtureFor, storeKindsUnderTest } from "../test-support/store-kinds.js";

const SECRET = "TOP-SECRET-OUTSIDE-THE-VIDEO-DIR";
const INSIDE = "inside-video-bytes";

/** Plain entries inside the store (`key` relative to VIDEO_DIR / the prefix), on every store. */
const INSIDE_ENTRIES: Array<[key: string, content: string]> = [
  [".env", SECRET],
  [".hidden.mp4", SECRET],
  ["sub/nested.mp4", INSIDE],
  [".git/config.mp4", SECRET],
  ["café clip.mp4", INSIDE],
  ["ok.mp4", INSIDE], // stored last: once it is listed, so is everything stored before it
];

/** Entries right outside the store: next to VIDEO_DIR / in the bucket beside the prefix. */
const OUTSIDE_ENTRIES: Array<[key: string, content: string]> = [
  ["secret.mp4", SECRET],
  [".env", SECRET],
  ["other/x.mp4", SECRET],
];

/** Names of the outside entries, as tricks aim at them, with the 400 detail they get. */
const ESCAPES_TO_OUTSIDE: Array<[path: string, detail: string]> = [
  ["/api/video/..%2Fother%2Fx.mp4", "Invalid filename: ../other/x.mp4"],
  ["/api/video/other%2Fx.mp4", "Invalid filename: other/x.mp4"],
  ["/api/video/..%2F.env", "Invalid filename: ../.env"],
  ["/api/video/x.mp4%2Finner.mp4", "Invalid filename: x.mp4/inner.mp4"],
];

/** Valid names that are not a servable video on any store, with the name the 404 detail gives. */
const UNSERVABLE_EVERYWHERE: Array<[path: string, name: string]> = [
  ["/api/video/%252e%252e%252fsecret.mp4", "%2e%2e%2fsecret.mp4"], // decoded once, never twice
  ["/api/video/x.mp4", "x.mp4"], // a folder; also the basename of other/x.mp4 outside
  ["/api/video/caf%C3%A9.mp4", "café.mp4"],
  ["/api/video/secret.mp4", "secret.mp4"], // the basename of the secret right outside
  ["/api/video/nested.mp4", "nested.mp4"], // only in sub/
  ["/api/video/config.mp4", "config.mp4"], // only in .git/
];

/** What one store's traps make of the names: the unservable ones and the only servable ones. */
interface Traps {
  /** Valid names that are not a servable video there, with the name the 404 detail gives. */
  unservable: Array<[path: string, name: string]>;
  /** The only names served, sorted: what every route and the listing agree on. */
  servable: string[];
}

// Symlinks, FIFOs and directory entries exist only on a file system: these traps are the
// directory's own (an object store has no links, no special files and no real folders).
const DIRECTORY_TRAPS: Traps = {
  unservable: [
    ...UNSERVABLE_EVERYWHERE,
    ["/api/video/escape.mp4", "escape.mp4"], // absolute symlink out of the directory
    ["/api/video/relative-escape.mp4", "relative-escape.mp4"], // ../ symlink out
    ["/api/video/parent.mp4", "parent.mp4"], // symlink to the parent directory
    ["/api/video/to-dotfile.mp4", "to-dotfile.mp4"], // symlink to a dotfile inside
    ["/api/video/to-dotdir.mp4", "to-dotdir.mp4"], // symlink into a dot directory inside
    ["/api/video/to-dir.mp4", "to-dir.mp4"],
    ["/api/video/dangling.mp4", "dangling.mp4"],
    ["/api/video/loop-a.mp4", "loop-a.mp4"],
    ["/api/video/pipe.mp4", "pipe.mp4"], // a FIFO: must not hang the request either
  ],
  servable: ["alias.mp4", "café clip.mp4", "nested-alias.mp4", "ok.mp4"],
};

// Keys a bucket can hold that no name may reach: a folder is only keys sharing a prefix, and
// keys are plain strings, so `videosfake.mp4` shares the prefix's letters (not its `/`) and
// `videos//double.mp4` has an empty segment.
const BUCKET_TRAPS: Traps = {
  unservable: [
    ...UNSERVABLE_EVERYWHERE,
    ["/api/video/inner.mp4", "inner.mp4"], // only in the x.mp4/ folder
    ["/api/video/fake.mp4", "fake.mp4"], // `videosfake.mp4`, beside the prefix
    ["/api/video/double.mp4", "double.mp4"], // `videos//double.mp4`
  ],
  servable: ["café clip.mp4", "ok.mp4"],
};

/** Writes `content` at `path`, creating its folders. */
function writeCreating(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * Lays out `<outside>/videos` with the entries and the directory's traps, secrets next to it,
 * and serves it: laid out before the start, so the first scan meets every trap.
 */
async function startOverTrappedDirectory(outside: string): Promise<StoreFixture> {
  const videoDir = join(outside, "videos");
  for (const [key, content] of OUTSIDE_ENTRIES) {
    writeCreating(join(outside, key), content);
  }
  for (const [key, content] of INSIDE_ENTRIES) {
    writeCreating(join(videoDir, key), content);
  }
  mkdirSync(join(videoDir, "x.mp4"));
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
  return startFixtureFor("directory", { videoDir });
}

/** Serves a new bucket's `videos/` prefix, then stores the entries and the bucket's traps. */
async function startOverTrappedBucket(): Promise<StoreFixture> {
  const fixture = await startFixtureFor("s3");
  for (const [key, content] of OUTSIDE_ENTRIES) {
    await fixture.putOutsidePrefix(key, content);
  }
  await fixture.putOutsidePrefix("videosfake.mp4", SECRET);
  await fixture.put("", ""); // `videos/`: the folder marker consoles create
  await fixture.put("x.mp4/inner.mp4", SECRET);
  await fixture.put("/double.mp4", SECRET);
  for (const [key, content] of INSIDE_ENTRIES) {
    await fixture.put(key, content);
  }
  return fixture;
}

/**
 * Traps created while a live server runs, by the name a request would use, plus further names
 * they make (`loop-b.mp4`). `outside` holds the served `live` folder (directory only).
 */
function liveTraps(
  kind: StoreKind,
  live: StoreFixture,
  outside: string,
): { traps: Record<string, () => Promise<void>>; alsoNamed: string[] } {
  if (kind === "s3") {
    return {
      traps: {
        "secret.mp4": () => live.putOutsidePrefix("secret.mp4", SECRET),
        "x.mp4": () => live.putOutsidePrefix("other/x.mp4", SECRET),
        "fake.mp4": () => live.putOutsidePrefix("videosfake.mp4", SECRET),
        "nested.mp4": () => live.put("sub/nested.mp4", SECRET),
        "config.mp4": () => live.put(".private/config.mp4", SECRET),
        "folder.mp4": () => live.put("folder.mp4/inner.mp4", SECRET),
        "double.mp4": () => live.put("/double.mp4", SECRET),
        ".later.mp4": () => live.put(".later.mp4", SECRET),
      },
      alsoNamed: ["inner.mp4"],
    };
  }
  const liveDir = live.server.videoDir;
  const link = (target: string, name: string) => async () => {
    symlinkSync(target, join(liveDir, name));
  };
  return {
    traps: {
      "clip.mp4": link(".private/secret.mp4", "clip.mp4"),
      "to-dotfile.mp4": link(".hidden.mp4", "to-dotfile.mp4"),
      "escape.mp4": link(join(outside, "secret.mp4"), "escape.mp4"),
      "relative-escape.mp4": link("../secret.mp4", "relative-escape.mp4"),
      "parent.mp4": link(outside, "parent.mp4"),
      "to-dir.mp4": link("sub", "to-dir.mp4"),
      "dangling.mp4": link("missing.mp4", "dangling.mp4"),
      "loop-a.mp4": async () => {
        symlinkSync("loop-b.mp4", join(liveDir, "loop-a.mp4"));
        symlinkSync("loop-a.mp4", join(liveDir, "loop-b.mp4"));
      },
      "x.mp4": async () => mkdirSync(join(liveDir, "x.mp4")),
      "pipe.mp4": async () => {
        execFileSync("mkfifo", [join(liveDir, "pipe.mp4")]);
      },
      ".later.mp4": () => live.put(".later.mp4", SECRET),
    },
    alsoNamed: ["loop-b.mp4"],
  };
}

/** The same path against the describe route: `/api/video/x` → `/api/videos/x`. */
const describePath = (path: string): string => path.replace(/^\/api\/video\//, "/api/videos/");

function expectJsonError(response: RawResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(response.body.toString()).not.toContain(SECRET);
  expect(response.body.toString()).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
}

describe.each(storeKindsUnderTest())("on the %s store", (kind) => {
  const traps = kind === "directory" ? DIRECTORY_TRAPS : BUCKET_TRAPS;
  // Directory: holds the served `videos` and `live` folders and the secrets next to them. A
  // bucket keeps its secrets as keys beside the prefix and leaves this empty.
  let outside: string;
  let fixture: StoreFixture;

  function get(path: string): Promise<RawResponse> {
    return rawRequest(fixture.server.port, path);
  }

  beforeAll(async () => {
    outside = makeTempDir("reel-confinement-");
    fixture =
      kind === "directory"
        ? await startOverTrappedDirectory(outside)
        : await startOverTrappedBucket();
    await fixture.waitListed("ok.mp4"); // the last entry stored
  });

  afterAll(async () => {
    await fixture.close();
    rmSync(outside, { recursive: true, force: true });
  });

  describe("confinement of GET /api/video/{filename}", () => {
    it("serves a plain file inside the store", async () => {
      const response = await get("/api/video/ok.mp4");
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(INSIDE);
    });

    describe.each([...INVALID_NAMES, ...ESCAPES_TO_OUTSIDE])("%s", (path, detail) => {
      it("answers 400 naming the decoded filename", async () => {
        const response = await get(path);
        expectJsonError(response, 400);
        expect(detailOf(response)).toBe(detail);
      });
    });

    describe.each(traps.unservable)("%s", (path, name) => {
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
      "/api/video/../other/x.mp4",
      "/api/video/x.mp4/inner.mp4",
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

    // Links exist only on a file system; a bucket has none to follow.
    it.runIf(kind === "directory")(
      "serves a symlink whose target stays inside the directory",
      async () => {
        for (const name of ["alias.mp4", "nested-alias.mp4"]) {
          const response = await get(`/api/video/${name}`);
          expect(response.status).toBe(200);
          expect(response.body.toString()).toBe(INSIDE);
        }
      },
    );

    it("accepts a percent-encoded name with spaces and non-ASCII letters", async () => {
      const response = await get("/api/video/caf%C3%A9%20clip.mp4");
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(INSIDE);
    });
  });

  describe("confinement of GET /api/videos/{filename} (describe): the stream route's rule", () => {
    describe.each([...INVALID_NAMES, ...ESCAPES_TO_OUTSIDE])("%s", (path, detail) => {
      it("answers the same 400", async () => {
        const response = await get(describePath(path));
        expectJsonError(response, 400);
        expect(detailOf(response)).toBe(detail);
      });
    });

    describe.each(traps.unservable)("%s", (path, name) => {
      it("answers the same 404", async () => {
        const response = await get(describePath(path));
        expectJsonError(response, 404);
        expect(detailOf(response)).toBe(`Video not found: ${name}`);
      });
    });

    it.each(traps.servable)("describes %s, which the stream route serves", async (name) => {
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
      expect(names).toEqual(traps.servable);
      for (const name of names) {
        expect((await get(`/api/video/${encodeURIComponent(name)}`)).status).toBe(200);
      }
    });
  });

  describe("confinement of the live library (watcher): the stream route's rule", () => {
    let live: StoreFixture;

    beforeAll(async () => {
      if (kind === "directory") {
        // Targets for the links made while the server runs.
        const liveDir = join(outside, "live");
        writeCreating(join(liveDir, ".hidden.mp4"), SECRET);
        writeCreating(join(liveDir, ".private", "secret.mp4"), SECRET);
        mkdirSync(join(liveDir, "sub"));
        live = await startFixtureFor(kind, { videoDir: liveDir });
      } else {
        live = await startFixtureFor(kind);
      }
    });

    afterAll(async () => {
      await live.close();
    });

    it("announces none of the tricks created while it runs, and lists none of them", async () => {
      const events = await openEventStream(`${live.server.baseUrl}/api/videos/events`);
      try {
        const { traps: tricks, alsoNamed } = liveTraps(kind, live, outside);
        for (const create of Object.values(tricks)) {
          await create();
        }
        // Changes are noticed in order (inotify's queue; one listing of the whole bucket): once
        // the sentinel is announced, every trick has been seen, and `whenIdle` waits until each
        // of them has been settled and judged.
        await live.put("sentinel.mp4", INSIDE);
        await events.waitFor(
          (frame) => frame.event === "added" && frame.data?.includes("sentinel.mp4") === true,
        );
        await live.server.library.whenIdle();

        const announced = events.events().map((frame) => frame.data ?? "");
        for (const name of [...Object.keys(tricks), ...alsoNamed]) {
          expect(announced.filter((data) => data.includes(`"${name}"`))).toEqual([]);
          const encoded = encodeURIComponent(name);
          const stream = await rawRequest(live.server.port, `/api/video/${encoded}`);
          const described = await rawRequest(live.server.port, `/api/videos/${encoded}`);
          expect(stream.status).toBe(described.status);
          expect([400, 404]).toContain(stream.status);
          expect(stream.body.toString()).not.toContain(SECRET);
        }
        const listing = await rawRequest(live.server.port, "/api/videos");
        expect(JSON.parse(listing.body.toString())).toMatchObject({
          items: [{ filename: "sentinel.mp4" }],
          total: 1,
        });
      } finally {
        events.close();
      }
    });
  });
});
