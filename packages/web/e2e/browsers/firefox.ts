// Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (playwright-core cannot drive a
// stock Firefox). Pages are tabs of one window in the default profile; a background tab is
// hidden, as in a person's Firefox.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Page } from "puppeteer-core";
import {
  type BrowserDriver,
  type DriverPage,
  type LaunchOptions,
  locateButton,
  WAIT_MS,
} from "./driver";

/**
 * Puppeteer types a page function's parameters through `InnerParams`, which leaves plain data
 * as it is; TypeScript cannot see that for a generic `A`.
 */
function widen<A, R>(fn: (arg: A) => R): (arg: unknown) => R {
  return fn as (arg: unknown) => R;
}

function wrap(page: Page): DriverPage {
  const driverPage: DriverPage = {
    async goto(url) {
      await page.goto(url, { waitUntil: "domcontentloaded", timeout: WAIT_MS });
    },
    evaluate<R, A>(fn: (arg: A) => R, arg?: A): Promise<Awaited<R>> {
      // The evaluated function's promise is awaited in the page: the result is `Awaited<R>`.
      return page.evaluate(widen(fn), arg) as Promise<Awaited<R>>;
    },
    async waitFor(fn, arg, timeoutMs = WAIT_MS) {
      await page.waitForFunction(widen(fn), { timeout: timeoutMs, polling: 100 }, arg);
    },
    async clickButton(name) {
      await driverPage.waitFor(locateButton, name);
      const point = await page.evaluate(locateButton, name);
      if (!point) {
        throw new Error(`No enabled button "${name}"`);
      }
      await page.mouse.click(point.x, point.y);
    },
    async hover(x, y) {
      await page.mouse.move(x, y);
    },
    onResponse(listener) {
      page.on("response", (response) => {
        listener({
          url: response.url(),
          status: response.status(),
          range: response.request().headers().range ?? "",
          ifRange: response.request().headers()["if-range"] ?? "",
          contentRange: response.headers()["content-range"] ?? "",
        });
      });
    },
    async bringToFront() {
      await page.bringToFront();
    },
    async setViewport(width, height) {
      await page.setViewport({ width, height });
    },
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
    async close() {
      await page.close();
    },
  };
  return driverPage;
}

/** Launches Firefox ESR with a fresh profile that saves downloads without asking. */
export async function launchFirefox(options: LaunchOptions = {}): Promise<BrowserDriver> {
  const downloadDir = mkdtempSync(join(tmpdir(), "reel-firefox-downloads-"));
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    acceptInsecureCerts: options.ignoreHTTPSErrors ?? false,
    defaultViewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    extraPrefsFirefox: {
      // TOOLCHAIN.md: let media play without a click, as the Chromium runs do.
      "media.autoplay.default": 0,
      "browser.download.dir": downloadDir,
      "browser.download.folderList": 2,
      "browser.download.useDownloadDir": true,
      "browser.download.always_ask_before_handling_new_types": false,
      ...options.firefoxPrefs,
    },
  });
  return {
    name: "firefox",
    downloadDir,
    async newPage() {
      const page = await browser.newPage();
      await page.bringToFront();
      return wrap(page);
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(downloadDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
}
