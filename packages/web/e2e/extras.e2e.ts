// The media extras in Chromium against the real stack: every library row shows its poster, the
// seek bar previews the frame whose cue covers the time under the pointer, and a `.srt` sidecar
// shows its first cue at its start time. The server renders the extras into CACHE_DIR.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VideoInfo } from "../src/lib/reel";
import type { BrowserDriver, DriverPage } from "./browsers/driver";
import { launchBrowser } from "./browsers/launch";
import { BIG_VIDEO, createVideoDir, type ReelStack, SHORT_VIDEO, startReel } from "./reel-stack";
import { SCREENSHOTS } from "./screenshots";

/** The sidecar beside the short video: `NAME.en.srt` → an English track. */
const SRT_NAME = SHORT_VIDEO.replace(/\.mp4$/, ".en.srt");
const FIRST_CUE = { start: 1.5, text: "Hello from the sidecar" };
const SRT = `1
00:00:01,500 --> 00:00:04,000
${FIRST_CUE.text}

2
00:00:05,000 --> 00:00:08,000
Second cue
`;
/** Rendering extras runs ffmpeg on a loaded 2-core machine: a guard, not a pace. */
const EXTRAS_DEADLINE_MS = 120_000;

/** One cue of the thumbnails track, parsed here independently of the player's parser. */
interface ExpectedCue {
  start: number;
  end: number;
  text: string;
}

/** `00:01:02.500` or `01:02.500` → seconds. */
function toSeconds(stamp: string): number {
  return stamp.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/** The cues of a WebVTT file whose cue payloads are one line (as a thumbnails track's are). */
function readCues(vtt: string): ExpectedCue[] {
  const cues: ExpectedCue[] = [];
  const timing =
    /^((?:\d+:)?\d{2}:\d{2}\.\d{3})\s+-->\s+((?:\d+:)?\d{2}:\d{2}\.\d{3})[^\n]*\n(.+)$/gm;
  for (const match of vtt.replace(/\r\n?/g, "\n").matchAll(timing)) {
    const [, start = "", end = "", text = ""] = match;
    cues.push({ start: toSeconds(start), end: toSeconds(end), text: text.trim() });
  }
  return cues;
}

/** The cue active at `time` (start ≤ t < end; the last one also at its end). */
function cueAt(cues: ExpectedCue[], time: number): ExpectedCue | undefined {
  const last = cues[cues.length - 1];
  return (
    [...cues].reverse().find((cue) => cue.start <= time && time < cue.end) ??
    (last && time === last.end ? last : undefined)
  );
}

let stack: ReelStack;
let cacheDir: string;
let browser: BrowserDriver;
let player: string;
let api: string;

async function describeVideo(name: string): Promise<VideoInfo> {
  const response = await fetch(`${api}/api/videos/${encodeURIComponent(name)}`);
  expect(response.status).toBe(200);
  // The server's own contract (zod on its side); the test only reads documented fields.
  return (await response.json()) as VideoInfo;
}

/** Polls the API until `ready(info)`: the extras render in the background. */
async function waitForExtras(
  name: string,
  ready: (info: VideoInfo) => boolean,
): Promise<VideoInfo> {
  const deadline = Date.now() + EXTRAS_DEADLINE_MS;
  for (;;) {
    const info = await describeVideo(name);
    if (ready(info)) {
      return info;
    }
    if (Date.now() > deadline) {
      throw new Error(`the extras of ${name} did not appear: ${JSON.stringify(info)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("media extras in chromium", () => {
  beforeAll(async () => {
    const videoDir = createVideoDir();
    writeFileSync(join(videoDir, SRT_NAME), SRT);
    cacheDir = mkdtempSync(join(tmpdir(), "reel-e2e-cache-"));
    stack = await startReel(videoDir, { env: { CACHE_DIR: cacheDir } });
    player = `http://127.0.0.1:${stack.webPort}`;
    api = `http://127.0.0.1:${stack.apiPort}`;
    browser = await launchBrowser("chromium");
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (cacheDir) {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  const opened: DriverPage[] = [];
  async function openPage(): Promise<DriverPage> {
    const page = await browser.newPage();
    opened.push(page);
    return page;
  }
  afterAll(async () => {
    for (const page of opened.splice(0)) {
      await page.close().catch(() => undefined);
    }
  });

  it("shows a loaded poster on every library row", async () => {
    const page = await openPage();
    await page.goto(player);
    // Rows first (Vite compiles the app on the first load), then every poster, which live
    // `changed` events bring as the server renders them.
    await page.waitFor(() => document.querySelectorAll(".library-item").length >= 2, null, 60_000);
    await page.waitFor(
      () => {
        const rows = Array.from(document.querySelectorAll(".library-item"));
        return rows.every((row) => {
          const image = row.querySelector<HTMLImageElement>("img.poster-image");
          return image?.complete === true && image.naturalWidth > 0;
        });
      },
      null,
      EXTRAS_DEADLINE_MS,
    );
    const posters = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>(".library-item img.poster-image")).map(
        (image) => ({
          alt: image.alt,
          src: new URL(image.src).pathname,
          width: image.naturalWidth,
          state: image.closest(".poster")?.getAttribute("data-poster-state"),
        }),
      ),
    );
    expect(posters.map((poster) => poster.alt).sort()).toEqual(
      [`Poster of ${BIG_VIDEO}`, `Poster of ${SHORT_VIDEO}`].sort(),
    );
    for (const poster of posters) {
      expect(poster.src).toMatch(/^\/api\/videos\/[^/]+\/poster\.jpg$/);
      expect(poster.width).toBeGreaterThan(0);
      expect(poster.state).toBe("loaded");
    }
    await page.screenshot(join(SCREENSHOTS, "chromium-extras-library.png"));

    await page.setViewport(375, 812);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await page.screenshot(join(SCREENSHOTS, "chromium-extras-library-narrow.png"));
  });

  it("previews the frame whose cue covers the time under the pointer at 25, 50 and 75 %", async () => {
    const info = await waitForExtras(BIG_VIDEO, (video) => video.previews !== null);
    const trackPath = info.previews ?? "";
    const vtt = await (await fetch(`${api}${trackPath}`)).text();
    const cues = readCues(vtt);
    expect(cues.length).toBeGreaterThan(3);

    const page = await openPage();
    await page.goto(`${player}/?v=${BIG_VIDEO}`);
    await page.waitFor(() => (document.querySelector("video")?.duration ?? 0) > 0, null, 60_000);
    await page.evaluate(() => document.querySelector("video")?.pause());
    const duration = await page.evaluate(() => document.querySelector("video")?.duration ?? 0);
    // The track as the page resolves it (same origin through the Vite proxy).
    const trackUrl = `${player}${trackPath}`;

    for (const fraction of [0.25, 0.5, 0.75]) {
      const bar = await page.evaluate(() => {
        const box = document.querySelector(".seek")?.getBoundingClientRect();
        return box ? { left: box.left, top: box.top, width: box.width, height: box.height } : null;
      });
      if (!bar) {
        throw new Error("no seek bar");
      }
      await page.hover(bar.left + bar.width * fraction, bar.top + bar.height / 2);
      // Wait for this position's time (React renders a pointer move a moment later) and for
      // its frame (the thumbnails track is fetched once the video opens).
      await page.waitFor(
        (expected) => {
          const tooltip = document.querySelector<HTMLElement>('[data-testid="seek-preview"]');
          const time = Number(tooltip?.dataset.time);
          return (
            tooltip?.dataset.xywh !== undefined &&
            Math.abs(time - expected.time) <= expected.tolerance
          );
        },
        { time: fraction * duration, tolerance: duration / bar.width },
      );
      const shown = await page.evaluate(() => {
        const tooltip = document.querySelector<HTMLElement>('[data-testid="seek-preview"]');
        const frame = tooltip?.querySelector<HTMLElement>(".seek-preview-frame");
        const style = frame ? getComputedStyle(frame) : null;
        return {
          time: Number(tooltip?.dataset.time),
          source: tooltip?.dataset.source,
          url: tooltip?.dataset.previewUrl ?? "",
          xywh: tooltip?.dataset.xywh ?? "",
          text: tooltip?.querySelector(".seek-preview-time")?.textContent ?? "",
          position: style?.backgroundPosition ?? "",
          image: style?.backgroundImage ?? "",
          width: style?.width ?? "",
          height: style?.height ?? "",
        };
      });
      // One CSS pixel of the bar is this many seconds: the pointer lands on a whole pixel.
      expect(Math.abs(shown.time - fraction * duration)).toBeLessThanOrEqual(duration / bar.width);
      expect(shown.source).toBe("pointer");

      const cue = cueAt(cues, shown.time);
      expect(cue, `a cue covering ${shown.time} s`).toBeDefined();
      const expected = new URL(cue?.text ?? "", trackUrl);
      const xywh = /#xywh=(?:pixel:)?(\d+),(\d+),(\d+),(\d+)$/.exec(expected.hash)?.slice(1) ?? [];
      expected.hash = "";
      expect(shown.url).toBe(expected.href);
      expect(shown.xywh).toBe(xywh.join(","));
      const [x = "", y = "", w = "", h = ""] = xywh;
      expect(shown.position).toBe(`${-Number(x)}px ${-Number(y)}px`);
      expect(shown.width).toBe(`${w}px`);
      expect(shown.height).toBe(`${h}px`);
      expect(shown.image).toBe(`url("${expected.href}")`);

      // The sheet is a real image large enough to hold the region.
      const sheet = await page.evaluate(async (url) => {
        const image = new Image();
        image.src = url;
        await image.decode();
        return { width: image.naturalWidth, height: image.naturalHeight };
      }, expected.href);
      expect(sheet.width).toBeGreaterThanOrEqual(Number(x) + Number(w));
      expect(sheet.height).toBeGreaterThanOrEqual(Number(y) + Number(h));
      console.log(
        `chromium: preview at ${fraction * 100} %: ${shown.text} → ${shown.url}#xywh=${shown.xywh}`,
      );
      await page.screenshot(join(SCREENSHOTS, `chromium-extras-preview-${fraction * 100}.png`));
    }
  });

  it("shows the .srt sidecar's first cue at its start time", async () => {
    const info = await waitForExtras(SHORT_VIDEO, (video) => video.subtitles.length > 0);
    const english = info.subtitles.find((track) => track.lang === "en");
    expect(english, JSON.stringify(info.subtitles)).toBeDefined();

    const page = await openPage();
    await page.goto(`${player}/?v=${SHORT_VIDEO}`);
    await page.waitFor(() => (document.querySelector("video")?.readyState ?? 0) >= 1, null, 60_000);
    await page.clickButton("Subtitles");
    await page.clickButton(english?.label ?? "");
    await page.waitFor(() => document.querySelector("video track") !== null, null);
    await page.evaluate((start) => {
      const video = document.querySelector("video");
      if (video) {
        video.pause();
        video.currentTime = start + 0.05;
      }
    }, FIRST_CUE.start);
    await page.waitFor((text) => {
      const track = document.querySelector("video")?.textTracks[0];
      const cue = track?.activeCues?.[0];
      return track?.mode === "showing" && cue instanceof VTTCue && cue.text === text;
    }, FIRST_CUE.text);
    const shown = await page.evaluate(() => {
      const element = document.querySelector("video track");
      const track = document.querySelector("video")?.textTracks[0];
      const cue = track?.activeCues?.[0];
      return {
        srclang: element?.getAttribute("srclang"),
        kind: element?.getAttribute("kind"),
        start: cue?.startTime,
        remembered: localStorage.getItem("reel.subtitles"),
      };
    });
    expect(shown).toEqual({
      srclang: "en",
      kind: "subtitles",
      start: FIRST_CUE.start,
      remembered: "en",
    });
    await page.screenshot(join(SCREENSHOTS, "chromium-extras-subtitles.png"));

    // Just before the cue starts, nothing is active.
    await page.evaluate((start) => {
      const video = document.querySelector("video");
      if (video) {
        video.currentTime = start - 0.5;
      }
    }, FIRST_CUE.start);
    await page.waitFor(
      () => (document.querySelector("video")?.textTracks[0]?.activeCues?.length ?? 1) === 0,
      null,
    );
  });
});
