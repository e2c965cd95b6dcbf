// Twenty Chromium tabs against Reel over HTTPS + HTTP/2 (a self-signed certificate the test
// server generates): every tab lists the library and plays its own video, and the server
// accepts HTTP/2 connections only: one per Chromium connection pool carries every request, and
// a crossorigin="anonymous" video would move media onto the SDK's pool (see the assertions).
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type HttpsTestServer, makeTempDir, startTestServer } from "@reel/server/test-support";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSessions, type SessionRecord } from "./h2-sessions";
import { buildPlayer } from "./player-build";
import { type StaticServer, serveStatic } from "./static-server";

const SAMPLE = fileURLToPath(new URL("../../../samples/sample_final.mp4", import.meta.url));
const TABS = 20;
// Failure guards only (2 loaded cores): every wait below ends on a real condition.
const LIST_DEADLINE_MS = 60_000;
const PLAY_DEADLINE_MS = 90_000;
const PLAYED_SECONDS = 0.5;

const names = Array.from({ length: TABS }, (_, i) => `tab_${String(i + 1).padStart(2, "0")}.mp4`);

let videoDir: string;
let bundleDir: string;
let envDir: string;
let api: HttpsTestServer;
let site: StaticServer;
let browser: Browser;
let context: BrowserContext;
let sessions: () => SessionRecord[];

/** The first tab (opened by the first test). */
function firstTab(): Page {
  const page = context.pages()[0];
  if (!page) {
    throw new Error("no tab is open");
  }
  return page;
}

beforeAll(async () => {
  videoDir = makeTempDir("reel-h2tabs-videos-");
  for (const name of names) {
    copyFileSync(SAMPLE, join(videoDir, name));
  }
  bundleDir = makeTempDir("reel-h2tabs-bundle-");
  envDir = makeTempDir("reel-h2tabs-env-");
  // The page's origin must be known before the API starts (CORS), and the API's before the build.
  site = await serveStatic(bundleDir);
  api = await startTestServer({ https: true, videoDir, corsOrigins: [site.origin] });
  sessions = recordSessions(api.server).sessions;
  await buildPlayer(api.baseUrl, bundleDir, envDir);
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
      "--ignore-certificate-errors",
    ],
  });
  context = await browser.newContext({ ignoreHTTPSErrors: true });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await site?.close();
  for (const dir of [videoDir, bundleDir, envDir]) {
    if (dir) {
      rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    }
  }
});

interface TabTiming {
  name: string;
  listedMs: number;
  playedMs: number;
}

/** Opens `?v=name`, waits for the library row and for playback past PLAYED_SECONDS. */
async function openTab(page: Page, name: string): Promise<TabTiming> {
  const start = performance.now();
  await page.goto(`${site.origin}/?v=${encodeURIComponent(name)}`);
  await page.getByRole("button", { name: `Play ${name}` }).waitFor({ timeout: LIST_DEADLINE_MS });
  const listedMs = performance.now() - start;
  await page.waitForFunction(
    ({ file, seconds }) => {
      const video = document.querySelector("video");
      return video?.currentSrc.endsWith(`/${file}`) === true && video.currentTime > seconds;
    },
    { file: name, seconds: PLAYED_SECONDS },
    { timeout: PLAY_DEADLINE_MS, polling: 100 },
  );
  const playedMs = performance.now() - start;
  return { name, listedMs, playedMs };
}

/** Plays `src` in a new `<video crossorigin="anonymous">` of `page` past PLAYED_SECONDS. */
async function playAnonymously(page: Page, src: string): Promise<void> {
  await page.evaluate(
    ({ url, seconds }) =>
      new Promise<void>((resolve, reject) => {
        const video = document.createElement("video");
        video.crossOrigin = "anonymous";
        video.muted = true;
        video.addEventListener("error", () =>
          reject(new Error(`media error ${video.error?.code}`)),
        );
        video.addEventListener("timeupdate", () => {
          if (video.currentTime > seconds) {
            resolve();
          }
        });
        video.src = url;
        document.body.append(video);
        video.play().catch(reject);
      }),
    { url: src, seconds: PLAYED_SECONDS },
  );
}

describe("twenty Chromium tabs over HTTPS + HTTP/2", () => {
  it("all list and play their video, over HTTP/2 connections only", async () => {
    const pages = await Promise.all(names.map(() => context.newPage()));
    const timings = await Promise.all(pages.map((page, i) => openTab(page, names[i] ?? "")));

    console.table(
      timings.map(({ name, listedMs, playedMs }) => ({
        tab: name,
        "listed (ms)": Math.round(listedMs),
        "played 0.5 s (ms)": Math.round(playedMs),
      })),
    );
    const accepted = api.acceptedConnections();
    const used = sessions().filter((session) => session.streams > 0);
    console.log("accepted connections", accepted);
    console.log(
      "sessions",
      sessions().map(({ id, streams, kinds }) => ({ id, streams, kinds: [...kinds].join(" ") })),
    );

    expect(accepted["http/1.1"]).toBe(0);
    expect(accepted.h2).toBe(sessions().length);
    // One connection per Chromium pool carries every request of the 20 tabs. The pools are two:
    // the SDK's fetch and EventSource are uncredentialed CORS requests, while video-view.tsx's
    // `<video src>` has no `crossorigin` attribute, so its cross-origin media requests are
    // credentialed "no-cors" ones, and Chromium never mixes the two on one socket. (With
    // crossOrigin="anonymous" it is one connection — the next test — but with the attribute the
    // Firefox download e2e timed out in both runs tried, cause not yet found, so it is not set.)
    expect(used.map((session) => [...session.kinds].sort())).toEqual([
      ["cors/empty"],
      ["no-cors/video"],
    ]);
    // The others carried nothing: until its first TLS handshake says "h2", Chromium does not know
    // the origin speaks HTTP/2 and opens a socket per concurrent request, as for HTTP/1.1, up to
    // its 6-per-pool limit; once the session exists, it uses that one and leaves the rest idle.
    expect(accepted.h2).toBeLessThanOrEqual(2 * 6);
  }, 240_000);

  it("plays a crossorigin=anonymous video on the SDK's connection, without a new one", async () => {
    const page = firstTab();
    const before = sessions().length;
    const src = await page.$eval("video", (video) => video.currentSrc);
    // A query string the server ignores keeps the HTTP cache from answering instead of it.
    await playAnonymously(page, `${src}?anonymous`);
    expect(sessions()).toHaveLength(before);
    const carrier = sessions().find((session) => session.kinds.has("cors/video"));
    expect(carrier?.kinds.has("cors/empty")).toBe(true);
  }, 120_000);
});
