/**
 * Nothing outside VIDEO_DIR is ever served, whatever the encoding trick. Requests go out through
 * raw `node:http` so `..`, `%2e` and backslashes reach the server exactly as an attacker sends them.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailOf, type RawResponse, rawRequest } from "../test-support/raw-request.js";
import { makeTempDir, startTestServer, type TestServer } from "../test-support/server.js";

const SECRET = "TOP-SECRET-OUTSIDE-THE-VIDEO-DIR";
const INSIDE = "inside-video-bytes";

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
  server = await startTestServer({ videoDir });
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

  describe.each([
    ["/api/video/..", "Invalid filename: .."],
    ["/api/video/%2e%2e", "Invalid filename: .."],
    ["/api/video/%2E%2E%2Fsecret.mp4", "Invalid filename: ../secret.mp4"],
    ["/api/video/..%2fsecret.mp4", "Invalid filename: ../secret.mp4"],
    ["/api/video/..%5csecret.mp4", "Invalid filename: ..\\secret.mp4"],
    ["/api/video/sub%2fnested.mp4", "Invalid filename: sub/nested.mp4"],
    ["/api/video/%2fetc%2fpasswd", "Invalid filename: /etc/passwd"],
    ["/api/video/%2Ftmp%2Fsecret.mp4", "Invalid filename: /tmp/secret.mp4"],
    ["/api/video/ok.mp4%00", "Invalid filename: ok.mp4\u0000"],
    ["/api/video/ok%00.mp4", "Invalid filename: ok\u0000.mp4"],
    ["/api/video/%0aok.mp4", "Invalid filename: \nok.mp4"],
    ["/api/video/%ff.mp4", "Invalid filename: %ff.mp4"],
    ["/api/video/%c0%ae%c0%ae%c0%afsecret.mp4", "Invalid filename: %c0%ae%c0%ae%c0%afsecret.mp4"],
    ["/api/video/%ed%a0%80.mp4", "Invalid filename: %ed%a0%80.mp4"], // a UTF-8 encoded surrogate
    ["/api/video/.env", "Invalid filename: .env"],
    ["/api/video/.hidden.mp4", "Invalid filename: .hidden.mp4"],
    ["/api/video/%2ehidden.mp4", "Invalid filename: .hidden.mp4"],
    ["/api/video/notes.txt", "Invalid filename: notes.txt"],
    ["/api/video/ok.mp4.txt", "Invalid filename: ok.mp4.txt"],
    ["/api/video/ok.mp4%2f", "Invalid filename: ok.mp4/"],
    [`/api/video/${"a".repeat(252)}.mp4`, `Invalid filename: ${"a".repeat(252)}.mp4`],
  ])("%s", (path, detail) => {
    it("answers 400 naming the decoded filename", async () => {
      const response = await get(path);
      expectJsonError(response, 400);
      expect(detailOf(response)).toBe(detail);
    });
  });

  describe.each([
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
  ])("%s", (path, name) => {
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
    writeFileSync(join(videoDir, "café clip.mp4"), INSIDE);
    const response = await get("/api/video/caf%C3%A9%20clip.mp4");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(INSIDE);
  });
});
