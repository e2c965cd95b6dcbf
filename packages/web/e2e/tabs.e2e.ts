// Many player tabs in one browser profile, over plain HTTP/1.1 on localhost, in Chromium and in
// Firefox: each browser opens at most six connections to the player's host, so every tab must
// get by without holding one for good. The browser talks to the player through a connection
// meter (connection-meter.ts) that shows which tab's stream or video holds a connection.
import { copyFileSync, linkSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BrowserDriver, DriverPage } from "./browsers/driver";
import { BROWSERS, launchBrowser } from "./browsers/launch";
import { type ConnectionMeter, startConnectionMeter } from "./connection-meter";
import {
  BIG_VIDEO,
  createVideoDir,
  REPO_ROOT,
  type ReelStack,
  SHORT_VIDEO,
  startReel,
} from "./reel-stack";
import { SCREENSHOTS } from "./screenshots";

const TAB_COUNT = 8;
/** The bar: every tab lists the library within 3 s. */
const LISTED_WITHIN_MS = 3000;
/** How long a paused hidden player may keep its connection (IDLE_RELEASE_MS, 3 s) plus slack. */
const RELEASED_WITHIN_MS = 8000;

let stack: ReelStack;
let meter: ConnectionMeter;
/** `http://localhost:<meter>`: where the browsers open the player. */
let origin: string;

/** Hard links of the big video, so each tab plays a file of its own that the meter can tell apart. */
function addVideoCopies(dir: string, names: string[]): void {
  for (const name of names) {
    linkSync(join(dir, BIG_VIDEO), join(dir, name));
  }
}

beforeAll(async () => {
  const dir = createVideoDir();
  addVideoCopies(dir, ["idle.mp4", ...Array.from({ length: TAB_COUNT }, (_, i) => tabVideo(i))]);
  // These tests measure connections and listing times: no ffmpeg rendering nine copies of the
  // big video beside them (the extras have their own e2e).
  stack = await startReel(dir, { env: { EXTRAS: "off" } });
  meter = await startConnectionMeter(stack.webPort);
  origin = `http://localhost:${meter.port}`;
});

afterAll(async () => {
  await meter?.close();
  await stack?.stop();
});

function tabVideo(index: number): string {
  return `tab_${index + 1}.mp4`;
}

/** A producer publishing a file: write under a temporary name, then rename (SPEC.md). */
function publish(name: string): number {
  const partial = join(stack.videoDir, `.${name}.part`);
  copyFileSync(join(REPO_ROOT, "samples", SHORT_VIDEO), partial);
  renameSync(partial, join(stack.videoDir, name));
  return Date.now();
}

/** Resolves once `condition` holds in Node; the deadline only guards against a hang. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function hasRow(name: string): boolean {
  return document.querySelector(`button[aria-label="Play ${name}"]`) !== null;
}

function isPlaying(after: number): boolean {
  const video = document.querySelector("video");
  return video !== null && !video.paused && video.currentTime > after;
}

function isPaused(): boolean {
  return document.querySelector("video")?.paused === true;
}

/** Notes when this tab becomes the one holding the stream (`readLeadership`). */
function recordLeadership(): void {
  const live = document.querySelector<HTMLElement>("output.live");
  Reflect.set(window, "__leaderSince", 0);
  if (live) {
    new MutationObserver(() => {
      if (live.dataset.role === "leader" && Reflect.get(window, "__leaderSince") === 0) {
        Reflect.set(window, "__leaderSince", Date.now());
      }
    }).observe(live, { attributes: true });
  }
}

/** When this tab took the stream over (ms since the epoch), 0 if it has not. */
function readLeadership(): number {
  const since: unknown = Reflect.get(window, "__leaderSince");
  return typeof since === "number" ? since : 0;
}

/** `until` for a condition read from the browsers. */
async function untilAsync(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function liveState(): { role: string; text: string } {
  const live = document.querySelector<HTMLElement>("output.live");
  return { role: live?.dataset.role ?? "", text: live?.textContent ?? "" };
}

/** The canvas that covers a released video: shown or not, its size, how many samples are lit. */
function readCover(): { shown: boolean; width: number; lit: number } {
  const canvas = document.querySelector<HTMLCanvasElement>("canvas.video-cover");
  if (!canvas || canvas.hidden) {
    return { shown: false, width: canvas?.width ?? 0, lit: 0 };
  }
  const pixels = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data;
  let lit = 0;
  for (let i = 0; pixels && i < pixels.length; i += 4 * 97) {
    lit += (pixels[i] ?? 0) + (pixels[i + 1] ?? 0) + (pixels[i + 2] ?? 0) > 60 ? 1 : 0;
  }
  return { shown: true, width: canvas.width, lit };
}

/** Starts recording the time display and the moment the cover is lifted (`readRestore`). */
function recordRestore(): void {
  const record = { times: [] as string[], uncoveredAt: null as number | null, readyState: 0 };
  Reflect.set(window, "__restore", record);
  const time = document.querySelector(".time");
  const canvas = document.querySelector("canvas.video-cover");
  const element = document.querySelector("video");
  if (!time || !canvas || !element) {
    return;
  }
  new MutationObserver(() => record.times.push(time.textContent ?? "")).observe(time, {
    subtree: true,
    childList: true,
    characterData: true,
  });
  new MutationObserver(() => {
    if (canvas.hasAttribute("hidden") && record.uncoveredAt === null) {
      record.uncoveredAt = element.currentTime;
      record.readyState = element.readyState;
    }
  }).observe(canvas, { attributes: true });
}

/** What `recordRestore` saw, and where the video is now. */
function readRestore(): {
  times: string[];
  uncoveredAt: number | null;
  readyStateWhenUncovered: number;
  currentTime: number;
  paused: boolean;
} {
  const record: unknown = Reflect.get(window, "__restore");
  const element = document.querySelector("video");
  const field = (name: string): unknown =>
    typeof record === "object" && record !== null ? Reflect.get(record, name) : undefined;
  const times = field("times");
  const uncoveredAt = field("uncoveredAt");
  const readyState = field("readyState");
  return {
    times: Array.isArray(times) ? times.map(String) : [],
    uncoveredAt: typeof uncoveredAt === "number" ? uncoveredAt : null,
    readyStateWhenUncovered: typeof readyState === "number" ? readyState : 0,
    currentTime: element?.currentTime ?? 0,
    paused: element?.paused ?? false,
  };
}

describe.each(BROWSERS)("player tabs in %s", (browserName) => {
  let browser: BrowserDriver;
  const opened: DriverPage[] = [];
  /** A new tab in front; closed after the test if the test did not close it. */
  async function openTab(): Promise<DriverPage> {
    const page = await browser.newPage();
    opened.push(page);
    return page;
  }

  beforeAll(async () => {
    browser = await launchBrowser(browserName);
    // Vite compiles the app's modules on the first request: pay that once, outside the timings.
    const warm = await browser.newPage();
    await warm.goto(origin);
    await warm.waitFor(hasRow, BIG_VIDEO, 60_000);
    await warm.close();
  });

  afterEach(async () => {
    // A tab left open would keep holding the shared stream and skew the next test.
    for (const page of opened.splice(0)) {
      await page.close().catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("a paused player in a hidden tab holds no connection for long, and comes back at the same time without a restart", async () => {
    const video = "idle.mp4";
    const holdingVideo = () => meter.holding(`GET /api/video/${video}`).length;
    const page = await openTab();
    await page.goto(`${origin}/?v=${video}`);
    await page.waitFor(isPlaying, 1);
    await page.clickButton("Pause");
    await page.waitFor(isPaused, null);
    const pausedAt = await page.evaluate(() => document.querySelector("video")?.currentTime ?? 0);
    // Chromium usually keeps the request open while paused, having buffered some seconds ahead,
    // but may also have cancelled it already (its media cache had enough): whether it holds one
    // now is the browser's choice, so it is reported rather than awaited. Either way the player
    // must release the video once hidden (the cover below proves the release itself).
    console.log(`${browserName}: ${holdingVideo()} connection(s) held by the paused visible tab`);

    const other = await openTab();
    await other.goto(origin);
    expect(await page.evaluate(() => document.visibilityState)).toBe("hidden");
    const hiddenAt = Date.now();
    await until(
      () => holdingVideo() === 0,
      `${video} to give its connection back`,
      RELEASED_WITHIN_MS,
    );
    console.log(
      `${browserName}: no connection held by the paused hidden tab ${Date.now() - hiddenAt} ms after it was hidden`,
    );

    const cover = await page.evaluate(readCover);
    if (browserName === "chromium") {
      // Released by the player: the last frame stays on screen (the test pattern, not black).
      await page.waitFor(
        () => document.querySelector("canvas.video-cover:not([hidden])") !== null,
        null,
      );
      expect(await page.evaluate(readCover)).toMatchObject({ shown: true, width: 1280 });
      expect((await page.evaluate(readCover)).lit).toBeGreaterThan(100);
    } else {
      // Firefox holds the whole video in its media cache (up to 500 MB) and closed the request
      // itself: nothing to release, so the player keeps its source.
      expect(cover.shown).toBe(false);
      expect(await page.evaluate(() => document.querySelector("video")?.hasAttribute("src"))).toBe(
        true,
      );
    }

    // What a person sees while it comes back: the time shown, and where the video is when the
    // cover is lifted.
    await page.evaluate(recordRestore);
    await page.bringToFront();
    await page.waitFor(() => {
      const element = document.querySelector("video");
      const covered = document.querySelector("canvas.video-cover:not([hidden])") !== null;
      return element !== null && element.readyState >= 2 && !element.seeking && !covered;
    }, null);
    const restore = await page.evaluate(readRestore);
    console.log(
      `${browserName}: back at ${restore.currentTime} s (paused at ${pausedAt} s), uncovered at ${restore.uncoveredAt}, time shown meanwhile: ${JSON.stringify(restore.times)}`,
    );
    expect(restore.currentTime).toBeCloseTo(pausedAt, 1);
    expect(restore.paused).toBe(true);
    expect(restore.times.filter((text) => text.startsWith("0:00"))).toEqual([]);
    if (browserName === "chromium") {
      expect(restore.uncoveredAt).toBeCloseTo(pausedAt, 1);
      expect(restore.readyStateWhenUncovered).toBeGreaterThanOrEqual(2);
    }
    await page.screenshot(join(SCREENSHOTS, `${browserName}-back-in-front.png`));

    await page.clickButton("Play");
    await page.waitFor(isPlaying, pausedAt + 0.5);
  });

  it(`${TAB_COUNT} tabs each list the library within 3 s and play; live updates reach all of them, also after the tab holding the stream closes`, async () => {
    const tabs: DriverPage[] = [];
    const timings: string[] = [];
    for (let index = 0; index < TAB_COUNT; index += 1) {
      const video = tabVideo(index);
      const page = await openTab();
      tabs.push(page);
      const openedAt = Date.now();
      await page.goto(`${origin}/?v=${video}`);
      await page.waitFor(hasRow, video);
      const listedMs = Date.now() - openedAt;
      await page.waitFor(isPlaying, 0.5);
      const playingMs = Date.now() - openedAt;
      timings.push(`tab ${index + 1}: listed ${listedMs} ms, playing ${playingMs} ms`);
      expect(listedMs, timings.join("\n")).toBeLessThanOrEqual(LISTED_WITHIN_MS);
      // As a person does before opening the next tab; the paused tab then goes to the background.
      await page.clickButton("Pause");
      await page.waitFor(isPaused, null);
    }
    console.log(`${browserName}, ${TAB_COUNT} tabs:\n${timings.join("\n")}`);
    // The hidden paused tabs give their videos' connections back; only the one in front may
    // keep buffering.
    await until(
      () => meter.holding("GET /api/video/tab_").length <= 1,
      "the hidden tabs to give their connections back",
      RELEASED_WITHIN_MS,
    );
    await tabs.at(-1)?.screenshot(join(SCREENSHOTS, `${browserName}-tab-${TAB_COUNT}.png`));

    const arrived = `${browserName}_arrived_in_all_tabs.mp4`;
    const publishedAt = publish(arrived);
    await Promise.all(tabs.map((tab) => tab.waitFor(hasRow, arrived)));
    console.log(
      `${browserName}: rename → row in all ${TAB_COUNT} tabs after ${Date.now() - publishedAt} ms`,
    );

    const roles = await Promise.all(tabs.map((tab) => tab.evaluate(liveState)));
    expect(roles.filter((state) => state.role === "leader")).toHaveLength(1);
    expect(roles.every((state) => state.text === "Live")).toBe(true);
    expect(meter.holding("GET /api/videos/events")).toHaveLength(1);
    const leaderIndex = roles.findIndex((state) => state.role === "leader");
    const [leader] = tabs.splice(leaderIndex, 1);
    await Promise.all(tabs.map((tab) => tab.evaluate(recordLeadership)));
    const closingAt = Date.now();
    await leader?.close();

    // Another tab is granted the lock and opens the one stream; every tab is live again.
    let takeoverAt = 0;
    await untilAsync(async () => {
      const since = await Promise.all(tabs.map((tab) => tab.evaluate(readLeadership)));
      takeoverAt = Math.max(...since);
      return since.filter((at) => at > 0).length === 1;
    }, "one tab to take the stream over");
    await until(() => meter.holding("GET /api/videos/events").length === 1, "one event stream");
    await Promise.all(
      tabs.map((tab) =>
        tab.waitFor(() => document.querySelector("output.live")?.textContent === "Live", null),
      ),
    );
    console.log(
      `${browserName}: closed the tab holding the stream (tab ${leaderIndex + 1}); another tab led ${takeoverAt - closingAt} ms after the close began`,
    );

    const later = `${browserName}_arrived_after_handover.mp4`;
    const laterAt = publish(later);
    await Promise.all(tabs.map((tab) => tab.waitFor(hasRow, later)));
    console.log(
      `${browserName}: rename → row in the other ${tabs.length} tabs after ${Date.now() - laterAt} ms`,
    );
  });
});
