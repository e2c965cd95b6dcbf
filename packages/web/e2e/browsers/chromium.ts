// Debian's Chromium through playwright-core. Chromium is started here and attached over CDP
// (`connectOverCDP` with `noDefaults`) rather than `chromium.launch()`: Playwright's own contexts
// emulate focus on every page, which keeps every tab "visible", and the tab tests need what a
// person's browser does, one profile whose background tabs are hidden.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import {
  type BrowserDriver,
  type DriverPage,
  type LaunchOptions,
  locateButton,
  type ObservedResponse,
  WAIT_MS,
} from "./driver";
import { stopProcessGroup } from "./process-group";

/** TOOLCHAIN.md's flags, minus nothing: no Playwright defaults that change tab behaviour. */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts Chromium with a DevTools port and resolves its WebSocket endpoint. */
function startChromium(args: string[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn("/usr/bin/chromium", [...args, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
    // Its own process group, so that closing stops its helper processes too (process-group.ts).
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Chromium did not start within 60 s:\n${output}`));
    }, 60_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, endpoint: match[1] });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Playwright types a page function's parameter as `Unboxed<A>`, which is `A` itself for the
 * plain data these tests pass; TypeScript cannot see that for a generic `A`.
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
      await page.waitForFunction(widen(fn), arg, { timeout: timeoutMs, polling: 100 });
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
        response
          .request()
          .allHeaders()
          .then((headers) => {
            const observed: ObservedResponse = {
              url: response.url(),
              status: response.status(),
              range: headers.range ?? "",
              ifRange: headers["if-range"] ?? "",
              contentRange: response.headers()["content-range"] ?? "",
            };
            listener(observed);
          })
          .catch(() => undefined);
      });
    },
    async bringToFront() {
      await page.bringToFront();
    },
    async setViewport(width, height) {
      await page.setViewportSize({ width, height });
    },
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
    async throttle(bytesPerSecond) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 0,
        downloadThroughput: bytesPerSecond ?? -1,
        uploadThroughput: -1,
      });
    },
    async close() {
      await page.close();
    },
  };
  return driverPage;
}

/** Launches Chromium with a fresh profile. */
export async function launchChromium(options: LaunchOptions = {}): Promise<BrowserDriver> {
  const profile = mkdtempSync(join(tmpdir(), "reel-chromium-"));
  const downloadDir = join(profile, "downloads");
  const args = [
    ...ARGS,
    "--remote-debugging-port=0",
    `--user-data-dir=${profile}`,
    `--window-size=${options.width ?? 1280},${options.height ?? 860}`,
    ...(options.ignoreHTTPSErrors ? ["--ignore-certificate-errors"] : []),
  ];
  const { child, endpoint } = await startChromium(args);
  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(endpoint, { noDefaults: true, isLocal: true });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloadDir });
  const [context] = browser.contexts();
  if (!context) {
    throw new Error("Chromium has no default context");
  }
  return {
    name: "chromium",
    downloadDir,
    async newPage() {
      const page = await context.newPage();
      await page.bringToFront();
      return wrap(page);
    },
    async close() {
      await browser.close().catch(() => undefined);
      // Only once no helper process is left can nothing write into the profile any more.
      await stopProcessGroup(child);
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}
