/**
 * Preconditions (RFC 9110 §13.1.1 If-Match, §13.1.4 If-Unmodified-Since) and the evaluation order
 * of §13.2.2, over a real socket, on every store under test (`storeKindsUnderTest`). The inputs
 * are the ones `send`, Go's `ServeContent` and nginx test with. Byte n of "123456789" is the
 * digit n + 1.
 */
import { utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailOf, type RawResponse, rawRequest } from "../test-support/raw-request.js";
import type { StoreFixture } from "../test-support/store-fixture.js";
import { startFixtureFor, storeKindsUnderTest } from "../test-support/store-kinds.js";

const DIGITS = "123456789";
// On a directory the mtime is pinned, so Last-Modified is known in advance; an object store sets
// it to the upload's time, so there it is read from the first response. The dates around it are
// derived from it either way.
const MTIME = new Date("2026-01-02T03:04:05Z");
const LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";
const MINUTE = 60_000; // ms
const IF_MATCH_FAILED = "Precondition failed: digits.mp4 has no current ETag listed in If-Match";
const UNMODIFIED_FAILED = "Precondition failed: digits.mp4 was modified after If-Unmodified-Since";

/** The IMF-fixdate `deltaMs` after the HTTP-date `date` (RFC 9110 §5.6.7). */
function httpDateAfter(date: string, deltaMs: number): string {
  return new Date(Date.parse(date) + deltaMs).toUTCString();
}

describe.each(storeKindsUnderTest())("on the %s store", (kind) => {
  let fixture: StoreFixture;
  let etag: string;
  let lastModified: string;
  const minuteBefore = () => httpDateAfter(lastModified, -MINUTE);
  const minuteAfter = () => httpDateAfter(lastModified, MINUTE);

  function request(headers: Record<string, string>, method = "GET"): Promise<RawResponse> {
    return rawRequest(fixture.server.port, "/api/video/digits.mp4", { method, headers });
  }

  beforeAll(async () => {
    fixture = await startFixtureFor(kind);
    await fixture.put("digits.mp4", DIGITS);
    if (kind === "directory") {
      const path = join(fixture.server.videoDir, "digits.mp4");
      utimesSync(path, MTIME, MTIME);
    }
    const first = await request({});
    etag = first.headers.etag ?? "";
    lastModified = first.headers["last-modified"] ?? "";
  });

  afterAll(async () => {
    await fixture.close();
  });

  it("reads the validators every case below is built from", () => {
    expect(etag).toMatch(/^"[^"]+"$/); // strong
    expect(httpDateAfter(lastModified, 0)).toBe(lastModified); // an IMF-fixdate
    if (kind === "directory") {
      expect(lastModified).toBe(LAST_MODIFIED); // the pinned mtime
      expect(minuteBefore()).toBe("Fri, 02 Jan 2026 03:03:05 GMT");
      expect(minuteAfter()).toBe("Fri, 02 Jan 2026 03:05:05 GMT");
    }
  });

  function expect412(response: RawResponse, detail: string): void {
    expect(response.status).toBe(412);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(detailOf(response)).toBe(detail);
    expect(response.headers["content-range"]).toBeUndefined();
  }

  describe("§13.1.1 If-Match", () => {
    it('answers 412 for If-Match: "foo"', async () => {
      expect412(await request({ "If-Match": '"foo"' }), IF_MATCH_FAILED);
    });

    it("answers 412 for the current ETag marked weak: If-Match compares strongly", async () => {
      expect412(await request({ "If-Match": `W/${etag}` }), IF_MATCH_FAILED);
    });

    it("answers 412 even with a Range: the precondition is evaluated first", async () => {
      expect412(await request({ "If-Match": '"foo"', Range: "bytes=1-2" }), IF_MATCH_FAILED);
    });

    it.each([
      ["*", () => "*"],
      ["the current ETag", () => etag],
      ["a list holding the current ETag", () => `"old", ${etag}`],
    ])("serves normally for %s", async (_what, value) => {
      const whole = await request({ "If-Match": value() });
      expect(whole.status).toBe(200);
      expect(whole.body.toString()).toBe(DIGITS);
      const part = await request({ "If-Match": value(), Range: "bytes=1-2" });
      expect(part.status).toBe(206);
      expect(part.body.toString()).toBe("23");
      expect(part.headers["content-range"]).toBe("bytes 1-2/9");
    });

    it("answers HEAD with the same 412 and no body", async () => {
      const response = await request({ "If-Match": '"foo"' }, "HEAD");
      expect(response.status).toBe(412);
      expect(response.body.length).toBe(0);
    });
  });

  describe("§13.1.4 If-Unmodified-Since", () => {
    it("answers 412 for a date a minute before Last-Modified", async () => {
      expect412(await request({ "If-Unmodified-Since": minuteBefore() }), UNMODIFIED_FAILED);
    });

    it.each([
      ["exactly Last-Modified", () => lastModified],
      ["a minute after Last-Modified", minuteAfter],
      ["a value that is not a date (ignored)", () => "yesterday"],
    ])("serves normally for %s", async (_what, date) => {
      const response = await request({ "If-Unmodified-Since": date(), Range: "bytes=0-0" });
      expect(response.status).toBe(206);
      expect(response.body.toString()).toBe("1");
    });

    it("is ignored when If-Match is present (§13.2.2 step 2)", async () => {
      const response = await request({ "If-Match": etag, "If-Unmodified-Since": minuteBefore() });
      expect(response.status).toBe(200);
    });
  });

  describe("§13.2.2 evaluation order", () => {
    it("answers 412, not 304, when If-Match fails and If-None-Match matches", async () => {
      expect412(await request({ "If-Match": '"foo"', "If-None-Match": etag }), IF_MATCH_FAILED);
    });

    it("answers 412, not 304, when If-Unmodified-Since fails and If-Modified-Since matches", async () => {
      const response = await request({
        "If-Unmodified-Since": minuteBefore(),
        "If-Modified-Since": minuteAfter(),
      });
      expect412(response, UNMODIFIED_FAILED);
    });

    it("answers 304 when If-Match passes and If-None-Match matches", async () => {
      const response = await request({ "If-Match": etag, "If-None-Match": etag });
      expect(response.status).toBe(304);
      expect(response.body.length).toBe(0);
    });

    it("then evaluates If-Range: a stale one sends the whole file", async () => {
      const response = await request({ "If-Match": etag, "If-Range": '"old"', Range: "bytes=1-2" });
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(DIGITS);
    });
  });

  describe("a download client pinning its version with If-Match", () => {
    it("gets 412 instead of bytes of a replaced file", async () => {
      await fixture.put("pinned.mp4", "first version");
      const first = await rawRequest(fixture.server.port, "/api/video/pinned.mp4");
      await fixture.put("pinned.mp4", "other version");
      const response = await rawRequest(fixture.server.port, "/api/video/pinned.mp4", {
        headers: { "If-Match": first.headers.etag ?? "", Range: "bytes=6-" },
      });
      expect(response.status).toBe(412);
      expect(response.body.toString()).not.toContain("version");
    });
  });
});
