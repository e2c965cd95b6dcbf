/**
 * The built player at `/` (`reel serve`), over a real socket: cache rules per file, the SPA
 * fallback for deep links, `/api/*` and the docs untouched, nothing outside the player's folder.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../test-support/raw-request.js";
import { makeTempDir, startTestServer, type TestServer } from "../test-support/server.js";

const INDEX =
  '<!doctype html><html><head><script type="module" src="./assets/index-abc123.js"></script></head></html>\n';
const REBASED = INDEX.replace("<head>", '<head><base href="/">');
const SCRIPT = "console.log('player');\n";
const HTML = { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("the player at /", () => {
  let root: string;
  let playerDir: string;
  let server: TestServer;

  beforeAll(async () => {
    root = makeTempDir("reel-player-");
    playerDir = join(root, "player");
    mkdirSync(join(playerDir, "assets"), { recursive: true });
    writeFileSync(join(playerDir, "index.html"), INDEX);
    writeFileSync(join(playerDir, "assets", "index-abc123.js"), SCRIPT);
    writeFileSync(join(playerDir, "robots.txt"), "User-agent: *\n");
    writeFileSync(join(playerDir, ".env"), "SECRET=1\n");
    writeFileSync(join(root, "secret.txt"), "outside\n");
    symlinkSync(join(root, "secret.txt"), join(playerDir, "escape.txt"));
    server = await startTestServer({ playerDir });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, { headers });

  describe("when the page is asked for", () => {
    it("answers index.html with no-cache and a validator", async () => {
      const response = await get("/", HTML);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(response.headers.get("etag")).toMatch(/^W\/"/);
      expect(await response.text()).toBe(INDEX);
    });

    it("answers 304 when the validator still matches", async () => {
      const first = await get("/");
      const etag = first.headers.get("etag") ?? "";
      await first.arrayBuffer();
      // Raw: fetch() adds `Cache-Control: no-cache` to a conditional request, which asks for 200.
      const again = await rawRequest(server.port, "/", { headers: { "If-None-Match": etag } });
      expect(again.status).toBe(304);
      expect(again.headers["cache-control"]).toBe("no-cache");
    });

    it("answers a deep link with the player (query string)", async () => {
      const response = await get("/?v=sample_final.mp4&t=3", HTML);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(INDEX);
    });

    it("falls back to index.html for an unknown path a browser navigates to", async () => {
      const response = await get("/some-view", HTML);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(await response.text()).toBe(INDEX);
    });

    it("roots the page's relative asset URLs at / for a deeper path", async () => {
      const response = await get("/library/some/view", HTML);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(await response.text()).toBe(REBASED);
    });

    it("answers HEAD with the headers only", async () => {
      const response = await fetch(`${server.baseUrl}/`, { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(INDEX)));
      expect(await response.text()).toBe("");
    });
  });

  describe("when a file is asked for", () => {
    it("caches hashed assets for a year, immutable", async () => {
      const response = await get("/assets/index-abc123.js");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await response.text()).toBe(SCRIPT);
    });

    it("revalidates files without a hash in their name", async () => {
      const response = await get("/robots.txt");
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-cache");
    });

    it("answers a missing asset 404 JSON, not the page", async () => {
      const response = await get("/assets/gone-000000.js");
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ detail: "Not found: /assets/gone-000000.js" });
    });
  });

  describe("when the path belongs to the API", () => {
    it("keeps the JSON 404 of an unknown /api path, even for a browser", async () => {
      const response = await get("/api/nothing-here", HTML);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(await response.json()).toEqual({ detail: "Not found: /api/nothing-here" });
    });

    it("still answers the API, the document and the docs", async () => {
      expect((await get("/api/health", HTML)).status).toBe(200);
      expect((await get("/api/videos")).headers.get("content-type")).toMatch(/json/);
      expect((await get("/openapi.json")).headers.get("content-type")).toMatch(/json/);
      const docs = await get("/docs", HTML);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain("Reel API reference");
    });
  });

  describe("when the path tries to leave the player's folder", () => {
    it.each([
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/..%5csecret.txt",
      "/escape.txt",
      "/.env",
      "/index.html%00.js",
    ])("never serves %s", async (path) => {
      const answer = await rawRequest(server.port, path, { headers: HTML });
      const body = answer.body.toString("utf8");
      expect(body).not.toContain("outside");
      expect(body).not.toContain("SECRET");
      expect([200, 400, 404]).toContain(answer.status);
      if (answer.status === 200) {
        expect([INDEX, REBASED]).toContain(body); // only ever the page, as for any unknown path
      }
    });
  });
});
