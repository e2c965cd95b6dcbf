/**
 * SPEC's request/answer table for `GET|HEAD /api/video/{filename}`, row by row, over a real
 * socket, on every store under test (`storeKindsUnderTest`: a temp directory; with `pnpm test:s3`
 * an S3 bucket too). Byte offsets use send's "123456789" fixture: byte n is digit n + 1.
 */
import { createHash } from "node:crypto";
import { renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundaryOf, parseMultipart } from "../test-support/multipart-parser.js";
import { waitUntil } from "../test-support/object-store/wait-until.js";
import { detailOf, type RawResponse, rawRequest } from "../test-support/raw-request.js";
import type { StoreFixture } from "../test-support/store-fixture.js";
import { startFixtureFor, storeKindsUnderTest } from "../test-support/store-kinds.js";

const DIGITS = "123456789";
// On a directory every file's mtime is pinned, so Last-Modified is known in advance. An object
// store sets it to the upload's time: there it is read from the first response, and the tests
// assert the same relations (equal in every response, the dates around it, the exact format).
const MTIME = new Date("2026-01-02T03:04:05Z");
const LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const SECOND = 1000; // ms
const CLOCK_DEADLINE_MS = 5000; // failure guard while waiting for the clock, never a pace

/** The IMF-fixdate `deltaMs` after the HTTP-date `date` (RFC 9110 §5.6.7). */
function httpDateAfter(date: string, deltaMs: number): string {
  return new Date(Date.parse(date) + deltaMs).toUTCString();
}

/**
 * Resolves once the second of `lastModified` is over, so that it is a strong validator an
 * If-Range date may match (RFC 9110 §8.8.2.2). A pinned past mtime is at once; a just-uploaded
 * object's date only after its second: this waits for the clock, not for any work.
 */
async function waitUntilStrong(lastModified: string): Promise<void> {
  const strongFrom = Date.parse(lastModified) + SECOND;
  await waitUntil(async () => (Date.now() >= strongFrom ? true : undefined), {
    deadline: strongFrom + CLOCK_DEADLINE_MS,
    intervalMs: 20,
    what: `the second of ${lastModified} to be over`,
  });
}

function expectProblem(response: RawResponse, status: number, detail: string): void {
  expect(response.status).toBe(status);
  expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(detailOf(response)).toBe(detail);
}

describe.each(storeKindsUnderTest())("on the %s store", (kind) => {
  let fixture: StoreFixture;
  let etag: string;
  let lastModified: string;
  let uploadStartedMs: number; // just before digits.mp4 was stored
  let uploadSeenMs: number; // just after its first response

  const get = (path: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
    rawRequest(fixture.server.port, path, { headers });

  /** Stores a video; on a directory with the pinned mtime. */
  async function writeVideo(name: string, content: string | Buffer): Promise<void> {
    await fixture.put(name, content);
    if (kind === "directory") {
      const path = join(fixture.server.videoDir, name);
      utimesSync(path, MTIME, MTIME);
    }
  }

  /**
   * Replaces a video with new content the way a producer does: on a directory a temporary file
   * with a later mtime renamed over it; on S3 a new upload (which replaces the object whole).
   */
  async function replaceVideo(name: string, content: string): Promise<void> {
    if (kind === "s3") {
      await fixture.put(name, content);
      return;
    }
    const temporary = join(fixture.server.videoDir, ".replaced.tmp");
    writeFileSync(temporary, content);
    const later = new Date(MTIME.getTime() + 5000);
    utimesSync(temporary, later, later);
    renameSync(temporary, join(fixture.server.videoDir, name));
  }

  function expectEntityHeaders(response: RawResponse, type = "video/mp4"): void {
    expect(response.headers["content-type"]).toBe(type);
    expect(response.headers["accept-ranges"]).toBe("bytes");
    expect(response.headers["content-encoding"]).toBe("identity");
    expect(response.headers.etag).toBe(etag);
    expect(response.headers["last-modified"]).toBe(lastModified);
    expect(response.headers["cache-control"]).toBe("no-cache");
  }

  beforeAll(async () => {
    fixture = await startFixtureFor(kind);
    uploadStartedMs = Date.now();
    await writeVideo("digits.mp4", DIGITS);
    await writeVideo("empty.mp4", "");
    const first = await get("/api/video/digits.mp4");
    uploadSeenMs = Date.now();
    etag = first.headers.etag ?? "";
    lastModified = first.headers["last-modified"] ?? "";
  });

  afterAll(async () => {
    await fixture.close();
  });

  describe("GET /api/video/{filename}", () => {
    describe("without Range", () => {
      it("sends the whole file as 200 with every entity header", async () => {
        const response = await get("/api/video/digits.mp4");
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(DIGITS);
        expect(response.headers["content-length"]).toBe("9");
        expect(response.headers["content-range"]).toBeUndefined();
        expectEntityHeaders(response);
      });

      // How the validators are made is the store's own: a directory derives them from the
      // file's stat (the mtime pinned here), an object store hands out the object's.
      it.runIf(kind === "directory")(
        "sends a strong ETag built from size, mtime, inode and ctime",
        () => {
          expect(etag).toMatch(/^"9-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
        },
      );

      it.runIf(kind === "directory")("sends the file's mtime as Last-Modified", () => {
        expect(lastModified).toBe(LAST_MODIFIED);
        // the neighbouring dates the conditional cases below derive from it
        expect(httpDateAfter(lastModified, SECOND)).toBe("Fri, 02 Jan 2026 03:04:06 GMT");
        expect(httpDateAfter(lastModified, -SECOND)).toBe("Fri, 02 Jan 2026 03:04:04 GMT");
      });

      it.runIf(kind === "s3")(
        "sends the object's strong ETag: the MD5 of a one-part upload",
        () => {
          expect(etag).toBe(`"${createHash("md5").update(DIGITS).digest("hex")}"`);
        },
      );

      it.runIf(kind === "s3")("sends the upload's time as Last-Modified, an IMF-fixdate", () => {
        expect(lastModified).toMatch(IMF_FIXDATE);
        expect(httpDateAfter(lastModified, 0)).toBe(lastModified);
        const modifiedMs = Date.parse(lastModified);
        expect(modifiedMs).toBeGreaterThanOrEqual(Math.floor(uploadStartedMs / SECOND) * SECOND);
        expect(modifiedMs).toBeLessThanOrEqual(uploadSeenMs);
      });
    });

    describe("with Range: bytes=0-", () => {
      it("sends the whole file as 206 bytes 0-8/9, as nginx, Apache, send and Go do", async () => {
        const response = await get("/api/video/digits.mp4", { Range: "bytes=0-" });
        expect(response.status).toBe(206);
        expect(response.body.toString()).toBe(DIGITS);
        expect(response.headers["content-length"]).toBe("9");
        expect(response.headers["content-range"]).toBe("bytes 0-8/9");
        expectEntityHeaders(response);
      });

      it("sends an empty file as 200 with 0 bytes: no 206 can name a byte of it", async () => {
        const response = await get("/api/video/empty.mp4", { Range: "bytes=0-" });
        expect(response.status).toBe(200);
        expect(response.body.length).toBe(0);
        expect(response.headers["content-length"]).toBe("0");
        expect(response.headers["content-range"]).toBeUndefined();
      });
    });

    describe.each([
      ["bytes=0-4,", "12345", "bytes 0-4/9"],
      ["bytes=,0-4", "12345", "bytes 0-4/9"],
      ["bytes= , 0-4", "12345", "bytes 0-4/9"],
    ])(
      "with Range: %s (§5.6.1.2: empty list elements are ignored)",
      (range, body, contentRange) => {
        it(`sends 206 ${contentRange}`, async () => {
          const response = await get("/api/video/digits.mp4", { Range: range });
          expect(response.status).toBe(206);
          expect(response.body.toString()).toBe(body);
          expect(response.headers["content-range"]).toBe(contentRange);
          expectEntityHeaders(response);
        });
      },
    );

    describe.each(["bytes=0-4,8-6", "bytes=8-6,0-4", "bytes=0-4,abc"])(
      "with Range: %s (one invalid spec makes the whole list invalid)",
      (range) => {
        it("answers 416 bytes */9 like the invalid spec on its own", async () => {
          const response = await get("/api/video/digits.mp4", { Range: range });
          expectProblem(response, 416, `Invalid request range (Range:'${range}')`);
          expect(response.headers["content-range"]).toBe("bytes */9");
        });
      },
    );

    describe.each([
      ["bytes=1-4", "2345", "bytes 1-4/9"],
      ["bytes=0-0", "1", "bytes 0-0/9"],
      ["bytes=8-8", "9", "bytes 8-8/9"],
      ["bytes=3-100", "456789", "bytes 3-8/9"], // an end past EOF is clamped (§14.1.2)
      ["bytes=3-", "456789", "bytes 3-8/9"],
      ["bytes=-3", "789", "bytes 6-8/9"],
      ["bytes=-20", DIGITS, "bytes 0-8/9"], // a suffix longer than the file is the whole file
      ["bytes=0-3,2-5", "123456", "bytes 0-5/9"], // coalesced into one range
      ["bytes=0-1,2-3", "1234", "bytes 0-3/9"], // adjacent ranges coalesce too
    ])("with Range: %s", (range, body, contentRange) => {
      it(`answers 206 "${body}" with Content-Range ${contentRange}`, async () => {
        const response = await get("/api/video/digits.mp4", { Range: range });
        expect(response.status).toBe(206);
        expect(response.body.toString()).toBe(body);
        expect(response.headers["content-range"]).toBe(contentRange);
        expect(response.headers["content-length"]).toBe(String(body.length));
        expectEntityHeaders(response);
      });
    });

    describe.each(["bytes=9-", "bytes=100-200", "bytes=-0", "bytes=5-2", "bytes=abc", "bytes="])(
      "with the unsatisfiable Range: %s",
      (range) => {
        it("answers 416 with Content-Range bytes */9 and the seed's detail", async () => {
          const response = await get("/api/video/digits.mp4", { Range: range });
          expectProblem(response, 416, `Invalid request range (Range:'${range}')`);
          expect(response.headers["content-range"]).toBe("bytes */9");
        });
      },
    );

    describe("with a Range in another unit", () => {
      it("ignores it and sends 200 (RFC 9110 §14.2)", async () => {
        const response = await get("/api/video/digits.mp4", { Range: "items=0-5" });
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(DIGITS);
      });
    });

    describe("with several ranges", () => {
      it("answers 206 multipart/byteranges, parts sorted, each with its Content-Range", async () => {
        const response = await get("/api/video/digits.mp4", { Range: "bytes=6-7,0-1" });
        expect(response.status).toBe(206);
        expect(response.headers["content-range"]).toBeUndefined();
        expect(Number(response.headers["content-length"])).toBe(response.body.length);
        const parts = parseMultipart(response.body, boundaryOf(response.headers["content-type"]));
        expect(parts.map((part) => [part.headers, part.body.toString()])).toEqual([
          [{ "content-type": "video/mp4", "content-range": "bytes 0-1/9" }, "12"],
          [{ "content-type": "video/mp4", "content-range": "bytes 6-7/9" }, "78"],
        ]);
      });

      it("ignores a set asking for more bytes than the file has, and sends 200", async () => {
        const response = await get("/api/video/digits.mp4", { Range: "bytes=0-5,1-8" });
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(DIGITS);
      });

      it("ignores a set of more than 16 parts, and sends 200", async () => {
        await writeVideo("hundred.mp4", Buffer.alloc(100, 7));
        const parts = Array.from({ length: 17 }, (_, i) => `${i * 5}-${i * 5}`).join(",");
        const response = await get("/api/video/hundred.mp4", { Range: `bytes=${parts}` });
        expect(response.status).toBe(200);
        expect(response.body.length).toBe(100);
      });
    });

    describe("with If-Range", () => {
      it("honours the Range when the strong ETag matches", async () => {
        const response = await get("/api/video/digits.mp4", {
          Range: "bytes=1-2",
          "If-Range": etag,
        });
        expect(response.status).toBe(206);
        expect(response.body.toString()).toBe("23");
      });

      it("honours the Range when the date is exactly Last-Modified", async () => {
        await waitUntilStrong(lastModified);
        const response = await get("/api/video/digits.mp4", {
          Range: "bytes=1-2",
          "If-Range": lastModified,
        });
        expect(response.status).toBe(206);
      });

      // Values are read when the test runs: the validators are only known after beforeAll.
      it.each([
        ["another ETag", () => '"9~stale"'],
        ["the ETag marked weak", () => `W/${etag}`],
        ["another date (a second after Last-Modified)", () => httpDateAfter(lastModified, SECOND)],
      ])("sends the whole file as 200 for %s", async (_what, ifRange) => {
        await waitUntilStrong(lastModified); // so only the mismatch can refuse the Range
        const response = await get("/api/video/digits.mp4", {
          Range: "bytes=1-2",
          "If-Range": ifRange(),
        });
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(DIGITS);
      });
    });

    describe("conditional GET", () => {
      it("answers 304 without a body when If-None-Match matches, with the entity headers", async () => {
        const response = await get("/api/video/digits.mp4", { "If-None-Match": etag });
        expect(response.status).toBe(304);
        expect(response.body.length).toBe(0);
        expectEntityHeaders(response);
      });

      it("answers 304 when If-Modified-Since is not older than Last-Modified", async () => {
        const response = await get("/api/video/digits.mp4", { "If-Modified-Since": lastModified });
        expect(response.status).toBe(304);
        expect(response.body.length).toBe(0);
      });

      it("sends 200 when If-Modified-Since is older", async () => {
        const response = await get("/api/video/digits.mp4", {
          "If-Modified-Since": httpDateAfter(lastModified, -SECOND),
        });
        expect(response.status).toBe(200);
      });

      it("sends 200 when If-None-Match names another version", async () => {
        const response = await get("/api/video/digits.mp4", { "If-None-Match": '"9~other"' });
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(DIGITS);
      });

      it("prefers 304 over a Range (§13.2.2 order)", async () => {
        const response = await get("/api/video/digits.mp4", {
          "If-None-Match": etag,
          Range: "bytes=100-",
        });
        expect(response.status).toBe(304);
      });
    });

    describe("content types", () => {
      it.each([
        ["clip.m4v", "video/mp4"],
        ["clip.webm", "video/webm"],
        ["clip.mov", "video/quicktime"],
        ["CLIP.MP4", "video/mp4"],
      ])("sends %s as %s", async (name, type) => {
        await writeVideo(name, "x");
        const response = await get(`/api/video/${name}`);
        expect(response.status).toBe(200);
        expect(response.headers["content-type"]).toBe(type);
      });
    });

    describe("an empty file", () => {
      it("is sent as 200 with 0 bytes", async () => {
        const response = await get("/api/video/empty.mp4");
        expect(response.status).toBe(200);
        expect(response.headers["content-length"]).toBe("0");
        expect(response.body.length).toBe(0);
      });

      it("answers bytes=0- and a suffix range with 200 and 0 bytes", async () => {
        for (const range of ["bytes=0-", "bytes=-10"]) {
          const response = await get("/api/video/empty.mp4", { Range: range });
          expect(response.status).toBe(200);
          expect(response.body.length).toBe(0);
        }
      });

      it("answers any range that starts at a byte with 416 bytes */0", async () => {
        const response = await get("/api/video/empty.mp4", { Range: "bytes=0-0" });
        expectProblem(response, 416, "Invalid request range (Range:'bytes=0-0')");
        expect(response.headers["content-range"]).toBe("bytes */0");
      });
    });

    describe(
      kind === "directory" ? "a file replaced by rename" : "an object replaced by an upload",
      () => {
        it("gets a new ETag, and a Range with the old ETag in If-Range gets the new file whole", async () => {
          await writeVideo("replaced.mp4", "old-video");
          const before = await get("/api/video/replaced.mp4");
          await replaceVideo("replaced.mp4", "new-video");

          const after = await get("/api/video/replaced.mp4", {
            Range: "bytes=4-",
            "If-Range": before.headers.etag ?? "",
          });
          expect(after.headers.etag).not.toBe(before.headers.etag);
          expect(after.status).toBe(200);
          expect(after.body.toString()).toBe("new-video");
        });
      },
    );

    describe("errors", () => {
      it("answers a missing file with 404 and the seed's detail", async () => {
        expectProblem(await get("/api/video/missing.mp4"), 404, "Video not found: missing.mp4");
      });

      it("answers a bad name with 400 and the seed's detail", async () => {
        expectProblem(await get("/api/video/notes.txt"), 400, "Invalid filename: notes.txt");
      });
    });
  });

  describe("HEAD /api/video/{filename}", () => {
    it("sends the headers a GET would send, without a body", async () => {
      const response = await rawRequest(fixture.server.port, "/api/video/digits.mp4", {
        method: "HEAD",
      });
      expect(response.status).toBe(200);
      expect(response.headers["content-length"]).toBe("9");
      expect(response.body.length).toBe(0);
      expectEntityHeaders(response);
    });

    it("sends a range's headers without a body", async () => {
      const response = await rawRequest(fixture.server.port, "/api/video/digits.mp4", {
        method: "HEAD",
        headers: { Range: "bytes=2-4" },
      });
      expect(response.status).toBe(206);
      expect(response.headers["content-range"]).toBe("bytes 2-4/9");
      expect(response.headers["content-length"]).toBe("3");
      expect(response.body.length).toBe(0);
    });

    it("sends the exact multipart length without a body", async () => {
      const head = await rawRequest(fixture.server.port, "/api/video/digits.mp4", {
        method: "HEAD",
        headers: { Range: "bytes=0-1,6-7" },
      });
      const body = await get("/api/video/digits.mp4", { Range: "bytes=0-1,6-7" });
      expect(head.status).toBe(206);
      expect(head.headers["content-length"]).toBe(String(body.body.length));
      expect(head.body.length).toBe(0);
    });

    it("answers a missing file with 404 and no body", async () => {
      const response = await rawRequest(fixture.server.port, "/api/video/missing.mp4", {
        method: "HEAD",
      });
      expect(response.status).toBe(404);
      expect(response.body.length).toBe(0);
    });
  });

  describe("configuration", () => {
    it("sends the configured Cache-Control", async () => {
      const custom = await startFixtureFor(kind, {
        server: { cacheControl: "public, max-age=60" },
      });
      try {
        await custom.put("a.mp4", "abc");
        const response = await rawRequest(custom.server.port, "/api/video/a.mp4");
        expect(response.headers["cache-control"]).toBe("public, max-age=60");
      } finally {
        await custom.close();
      }
    });
  });
});
