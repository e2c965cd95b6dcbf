/**
 * /docs in a real browser (Debian's Chromium): the reference renders from this server alone (no
 * request leaves for another host) and its "try it" client sends a ranged request to the
 * running server and gets a 206.
 */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { startTestServer, type TestServer } from "../test-support/server.js";

describe("the /docs reference in Chromium", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ videoDir: SAMPLES_DIR });
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads only from this server and answers a ranged try-it with 206", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    page.on("request", (request) => {
      requested.push(request.url());
    });
    await page.goto(`${server.baseUrl}/docs#tag/videos/GET/api/video/{filename}`, {
      waitUntil: "networkidle",
    });
    await page
      .getByRole("button", { name: /Test Request/i })
      .first()
      .click();
    const answer = page.waitForResponse((response) =>
      response.url().endsWith("/api/video/sample_final.mp4"),
    );
    await page.getByRole("button", { name: /^Send/ }).first().click();
    const response = await answer;

    expect(response.status()).toBe(206);
    expect(await response.request().headerValue("range")).toBe("bytes=0-1023");
    expect(response.headers()["content-range"]).toBe("bytes 0-1023/132313");
    await expect
      .poll(() => page.getByText("206 Partial Content").count(), { timeout: 5000 })
      .toBeGreaterThan(0);
    const foreign = requested.filter(
      (url) =>
        !url.startsWith(server.baseUrl) && !url.startsWith("blob:") && !url.startsWith("data:"),
    );
    expect(foreign).toEqual([]);
    expect(requested).toContain(`${server.baseUrl}/openapi.json`);
  }, 60_000);
});
