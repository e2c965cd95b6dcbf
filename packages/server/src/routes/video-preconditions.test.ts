/**
 * Preconditions (RFC 9110 §13.1.1 If-Match, §13.1.4 If-Unmodified-Since) and the evaluation order
 * of §13.2.2, over a real socket. The inputs are the ones `send`, Go's `ServeContent` and nginx
 * test with. Byte n of "123456789" is the digit n + 1.
 */
import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailOf, type RawResponse, rawRequest } from "../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

const DIGITS = "123456789";
const MTIME = new Date("2026-01-02T03:04:05Z");
const LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";
const MINUTE_BEFORE = "Fri, 02 Jan 2026 03:03:05 GMT";
const MINUTE_AFTER = "Fri, 02 Jan 2026 03:05:05 GMT";
const IF_MATCH_FAILED = "Precondition failed: digits.mp4 has no current ETag listed in If-Match";
const UNMODIFIED_FAILED = "Precondition failed: digits.mp4 was modified after If-Unmodified-Since";

let server: TestServer;
let etag: string;

function request(headers: Record<string, string>, method = "GET"): Promise<RawResponse> {
  return rawRequest(server.port, "/api/video/digits.mp4", { method, headers });
}

beforeAll(async () => {
  server = await startTestServer();
  const path = join(server.videoDir, "digits.mp4");
  writeFileSync(path, DIGITS);
  utimesSync(path, MTIME, MTIME);
  etag = (await request({})).headers.etag ?? "";
});

afterAll(async () => {
  await server.close();
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
    expect412(await request({ "If-Unmodified-Since": MINUTE_BEFORE }), UNMODIFIED_FAILED);
  });

  it.each([
    ["exactly Last-Modified", LAST_MODIFIED],
    ["a minute after Last-Modified", MINUTE_AFTER],
    ["a value that is not a date (ignored)", "yesterday"],
  ])("serves normally for %s", async (_what, date) => {
    const response = await request({ "If-Unmodified-Since": date, Range: "bytes=0-0" });
    expect(response.status).toBe(206);
    expect(response.body.toString()).toBe("1");
  });

  it("is ignored when If-Match is present (§13.2.2 step 2)", async () => {
    const response = await request({ "If-Match": etag, "If-Unmodified-Since": MINUTE_BEFORE });
    expect(response.status).toBe(200);
  });
});

describe("§13.2.2 evaluation order", () => {
  it("answers 412, not 304, when If-Match fails and If-None-Match matches", async () => {
    expect412(await request({ "If-Match": '"foo"', "If-None-Match": etag }), IF_MATCH_FAILED);
  });

  it("answers 412, not 304, when If-Unmodified-Since fails and If-Modified-Since matches", async () => {
    const response = await request({
      "If-Unmodified-Since": MINUTE_BEFORE,
      "If-Modified-Since": MINUTE_AFTER,
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
    const path = join(server.videoDir, "pinned.mp4");
    writeFileSync(path, "first version");
    const first = await rawRequest(server.port, "/api/video/pinned.mp4");
    writeFileSync(path, "other version");
    const response = await rawRequest(server.port, "/api/video/pinned.mp4", {
      headers: { "If-Match": first.headers.etag ?? "", Range: "bytes=6-" },
    });
    expect(response.status).toBe(412);
    expect(response.body.toString()).not.toContain("version");
  });
});
