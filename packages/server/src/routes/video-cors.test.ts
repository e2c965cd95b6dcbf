/** CORS on the stream route: browsers on allowed origins may read ranges and validators. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

const ALLOWED = "http://localhost:5173";
const EXPOSED = [
  "content-range",
  "content-length",
  "accept-ranges",
  "content-type",
  "content-encoding",
  "etag",
  "last-modified",
];

let server: TestServer;

function listOf(header: string | string[] | undefined): string[] {
  return String(header ?? "")
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item.length > 0);
}

beforeAll(async () => {
  server = await startTestServer();
  writeFileSync(join(server.videoDir, "a.mp4"), "0123456789");
});

afterAll(async () => {
  await server.close();
});

describe("CORS on /api/video/{filename}", () => {
  it("lets an allowed origin read the range and validator headers", async () => {
    const response = await rawRequest(server.port, "/api/video/a.mp4", {
      headers: { Origin: ALLOWED, Range: "bytes=0-3" },
    });
    expect(response.status).toBe(206);
    expect(response.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(listOf(response.headers["access-control-expose-headers"])).toEqual(
      expect.arrayContaining(EXPOSED),
    );
    expect(listOf(response.headers.vary)).toContain("origin");
  });

  it("keeps the CORS headers on errors, so the page can read the JSON detail", async () => {
    const response = await rawRequest(server.port, "/api/video/missing.mp4", {
      headers: { Origin: ALLOWED },
    });
    expect(response.status).toBe(404);
    expect(response.headers["access-control-allow-origin"]).toBe(ALLOWED);
  });

  it("gives a disallowed origin no CORS headers, but still varies on Origin", async () => {
    const response = await rawRequest(server.port, "/api/video/a.mp4", {
      headers: { Origin: "http://evil.example" },
    });
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    expect(response.headers["access-control-expose-headers"]).toBeUndefined();
    expect(listOf(response.headers.vary)).toContain("origin");
  });

  it("answers a preflight that allows Range and If-Range", async () => {
    const response = await rawRequest(server.port, "/api/video/a.mp4", {
      method: "OPTIONS",
      headers: {
        Origin: ALLOWED,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "range, if-range",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(listOf(response.headers["access-control-allow-methods"])).toEqual(
      expect.arrayContaining(["get", "head"]),
    );
    expect(listOf(response.headers["access-control-allow-headers"])).toEqual(
      expect.arrayContaining(["range", "if-range"]),
    );
  });

  it("refuses a preflight from a disallowed origin", async () => {
    const response = await rawRequest(server.port, "/api/video/a.mp4", {
      method: "OPTIONS",
      headers: { Origin: "http://evil.example", "Access-Control-Request-Method": "GET" },
    });
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
