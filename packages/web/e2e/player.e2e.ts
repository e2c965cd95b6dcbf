// The player in Debian's Chromium against the real server and Vite dev server, started the way
// the README starts them. What only a browser can prove: playback advances, a seek is answered
// by a 206, deep links, the narrow layout, a real download, and live library updates.
import { copyFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BIG_VIDEO,
  createVideoDir,
  REPO_ROOT,
  type ReelStack,
  SHORT_VIDEO,
  startReel,
} from "./reel-stack";

const SCREENSHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url));
const PLAYER = "http://localhost:5173";
const PLAYER_BY_IP = "http://127.0.0.1:5173";

let stack: ReelStack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  stack = await startReel(createVideoDir());
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openPage(width = 1280, height = 860): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  return context.newPage();
}

function currentTime(page: Page): Promise<number> {
  return page.$eval("video", (video) => video.currentTime);
}

describe("the player in Chromium", () => {
  it("lists both videos with their facts", async () => {
    const page = await openPage();
    await page.goto(PLAYER);
    await page.getByRole("button", { name: `Play ${BIG_VIDEO}` }).waitFor();
    await page.getByRole("button", { name: `Play ${SHORT_VIDEO}` }).waitFor();
    await expect(
      page.getByRole("button", { name: `Play ${BIG_VIDEO}` }).textContent(),
    ).resolves.toMatch(/1:00 · 1280×720 · 2\d\.\d MB/);
    await page.screenshot({ path: join(SCREENSHOTS, "library.png"), fullPage: true });
    await page.context().close();
  });

  it("plays a clicked video and answers a seek to 70 % with a 206 past byte 0", async () => {
    const page = await openPage();
    const ranged: { status: number; range: string; contentRange: string }[] = [];
    page.on("response", async (response) => {
      if (!response.url().includes(`/api/video/${BIG_VIDEO}`)) {
        return;
      }
      const headers = await response.request().allHeaders();
      ranged.push({
        status: response.status(),
        range: headers.range ?? "",
        contentRange: response.headers()["content-range"] ?? "",
      });
    });
    await page.goto(PLAYER);
    await page.getByRole("button", { name: `Play ${BIG_VIDEO}` }).click();
    await page.waitForURL(/\?v=big_final\.mp4/);
    await page.waitForFunction(
      () => (document.querySelector("video")?.currentTime ?? 0) > 1,
      null,
      {
        timeout: 20_000,
      },
    );
    await page.screenshot({ path: join(SCREENSHOTS, "playing.png"), fullPage: true });

    const duration = await page.$eval("video", (video) => video.duration);
    expect(duration).toBeGreaterThan(59);
    const before = ranged.length;
    await page.$eval("video", (video) => {
      const element = video;
      element.currentTime = element.duration * 0.7;
    });
    await page.waitForFunction(
      (target) => (document.querySelector("video")?.currentTime ?? 0) > target,
      duration * 0.7 + 1,
      { timeout: 20_000 },
    );
    const afterSeek = ranged.slice(before);
    const startOf = (range: string) => Number(/bytes=(\d+)-/.exec(range)?.[1] ?? "0");
    const seekAnswer = afterSeek.find((entry) => entry.status === 206 && startOf(entry.range) > 0);
    expect(seekAnswer, JSON.stringify(ranged)).toBeDefined();
    expect(seekAnswer?.contentRange).toMatch(/^bytes [1-9]\d*-\d+\/\d+$/);
    console.log(
      `seek to 70 %: ${seekAnswer?.status} for Range ${seekAnswer?.range} → ${seekAnswer?.contentRange}`,
    );
    // The URL follows the playhead (replaceState, about once a second).
    await page.waitForURL(/t=(4[3-9]|5\d)/, { timeout: 5000 });
    await page.context().close();
  });

  it("opens a deep link at its second (via 127.0.0.1)", async () => {
    const page = await openPage();
    await page.goto(`${PLAYER_BY_IP}/?v=${BIG_VIDEO}&t=30`);
    await page.waitForFunction(() => (document.querySelector("video")?.readyState ?? 0) >= 1);
    const time = await currentTime(page);
    expect(time).toBeGreaterThanOrEqual(29.9);
    expect(time).toBeLessThan(36);
    await page.context().close();
  });

  it("says a missing video is not found", async () => {
    const page = await openPage();
    await page.goto(`${PLAYER}/?v=nope.mp4`);
    await page.getByRole("heading", { name: "Video not found" }).waitFor();
    await page.getByRole("button", { name: "← Back to library" }).click();
    await page.getByText("Pick a video from the library to play it.").waitFor();
    await page.context().close();
  });

  it("fits 375 px without horizontal scrolling, library above the player", async () => {
    const page = await openPage(375, 812);
    await page.goto(`${PLAYER}/?v=${SHORT_VIDEO}`);
    await page.waitForFunction(
      () => (document.querySelector("video")?.currentTime ?? 0) > 0.5,
      null,
      {
        timeout: 20_000,
      },
    );
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    const library = await page.getByRole("region", { name: "Library" }).boundingBox();
    const player = await page.getByRole("region", { name: "Player" }).boundingBox();
    expect(library && player && library.y < player.y).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "narrow.png"), fullPage: true });
    await page.context().close();
  });

  it("downloads a video with the right size under its own name", async () => {
    const page = await openPage();
    await page.goto(`${PLAYER}/?v=${BIG_VIDEO}`);
    const downloaded = page.waitForEvent("download", { timeout: 60_000 });
    await page.getByRole("button", { name: `Download ${BIG_VIDEO}` }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe(BIG_VIDEO);
    const path = await download.path();
    expect(statSync(path).size).toBe(statSync(join(stack.videoDir, BIG_VIDEO)).size);
    await page.getByText(/^Downloaded /).waitFor();
    await page.context().close();
  });

  it("resumes a cancelled download with a ranged request and saves the whole file", async () => {
    const page = await openPage();
    // Slow the network so there is time to cancel mid-way (Chromium's DevTools throttling).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: 4 * 1024 * 1024,
      uploadThroughput: -1,
    });
    const requests: { range: string; ifRange: string; status: number }[] = [];
    page.on("response", async (response) => {
      if (
        response.url().includes(`/api/video/${BIG_VIDEO}`) &&
        response.request().resourceType() === "fetch"
      ) {
        const headers = await response.request().allHeaders();
        requests.push({
          range: headers.range ?? "",
          ifRange: headers["if-range"] ?? "",
          status: response.status(),
        });
      }
    });
    await page.goto(`${PLAYER}/?v=${BIG_VIDEO}`);
    await page.getByRole("button", { name: `Download ${BIG_VIDEO}` }).click();
    const progress = page.getByRole("progressbar", { name: "Download progress" });
    await page.waitForFunction(() => {
      const bar = document.querySelector("progress");
      return bar !== null && bar.value > bar.max * 0.1;
    });
    await page.getByRole("button", { name: "Cancel download" }).click();
    await page.getByText("Download paused.").waitFor();
    const held = Number(await progress.getAttribute("value"));
    expect(held).toBeGreaterThan(0);

    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const downloaded = page.waitForEvent("download", { timeout: 60_000 });
    await page.getByRole("button", { name: "Resume download" }).click();
    const download = await downloaded;
    expect(statSync(await download.path()).size).toBe(
      statSync(join(stack.videoDir, BIG_VIDEO)).size,
    );
    const resumed = requests.at(-1);
    expect(resumed?.status).toBe(206);
    expect(resumed?.range).toBe(`bytes=${held}-`);
    expect(resumed?.ifRange).toMatch(/^"/);
    await page.context().close();
  });

  it("shows a video copied into VIDEO_DIR without a reload", async () => {
    const page = await openPage();
    await page.goto(PLAYER);
    await page.getByRole("button", { name: `Play ${SHORT_VIDEO}` }).waitFor();
    await page.getByText("Live", { exact: true }).waitFor({ timeout: 10_000 });
    // Producers write to a temporary name and rename, as SPEC.md asks.
    const partial = join(stack.videoDir, ".incoming.mp4.part");
    copyFileSync(join(REPO_ROOT, "samples", SHORT_VIDEO), partial);
    const renamedAt = Date.now();
    renameSync(partial, join(stack.videoDir, "arrived_live.mp4"));
    await page.getByRole("button", { name: "Play arrived_live.mp4" }).waitFor({ timeout: 10_000 });
    console.log(`live: rename → row in the library after ${Date.now() - renamedAt} ms`);
    await page.context().close();
  });
});
