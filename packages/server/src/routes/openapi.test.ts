import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

describe("GET /docs", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ videoDir: SAMPLES_DIR });
  });
  afterAll(() => server.close());

  it("answers an HTML page that loads nothing from another host", async () => {
    const response = await fetch(`${server.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map(
      (match) => match[1] ?? "",
    );
    expect(references).toEqual(["/docs/scalar.js"]);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain('url: "/openapi.json"');
    expect(html).toContain("withDefaultFonts: false");
  });

  it("serves the viewer script from node_modules", async () => {
    const response = await fetch(`${server.baseUrl}/docs/scalar.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const script = await response.text();
    expect(script.length).toBeGreaterThan(1_000_000);
    expect(script).toContain("createApiReference");
  });
});
