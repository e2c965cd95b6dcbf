// `node scripts/pack-test.mjs`: Reel as a user gets it. Packs @reel/server (its prepack builds the
// server and the web player into the package), installs the tarball into an empty folder with
// npm, runs `npx reel serve <a temp folder with one sample video>` on a free port, and proves in
// Debian's Chromium that `/` lists the video and plays it and that `/?v=<name>&t=3` deep-links;
// then `npx reel download` of that video must give a byte-equal file, and resume a `.part`. Stops the server and
// removes every temp folder, also on failure. The SDK is bundled into the server package, so one
// tarball is the whole install.
import { execFileSync, spawn } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./lib.mjs";

const VIDEO = "sample_final.mp4";
const PNPM = ["-y", "pnpm@10.34.9"];
const WAIT_MS = 30_000;
// playwright-core is a dev dependency of the server package, not of the root.
const { chromium } = createRequire(join(ROOT, "packages/server/package.json"))("playwright-core");

const started = Date.now();
const lap = (what) =>
  console.log(`pack-test: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
const work = mkdtempSync(join(tmpdir(), "reel-pack-test-"));
let server;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `npx reel serve` in its own process group; resolves once it logs that it listens. */
function startReel(appDir, videoDir, port) {
  const child = spawn("npx", ["reel", "serve", videoDir, "--port", String(port)], {
    cwd: appDir,
    // Posters render into the test's own folder, not the user's ~/.cache/reel.
    env: { ...process.env, CACHE_DIR: join(work, "cache") },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`reel did not listen in 60 s:\n${output}`)),
      60_000,
    );
    const collect = (chunk) => {
      output += chunk.toString();
      if (output.includes('"msg":"reel listening"')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`reel exited with ${code}:\n${output}`));
    });
  });
}

function stopGroup(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

async function main() {
  const packDir = join(work, "pack");
  execFileSync("npx", [...PNPM, "-C", "packages/server", "pack", "--pack-destination", packDir], {
    cwd: ROOT,
    stdio: "inherit",
  });
  const [tarball] = readdirSync(packDir).filter((name) => name.endsWith(".tgz"));
  if (tarball === undefined) {
    throw new Error("pnpm pack wrote no tarball");
  }
  lap(`packed ${tarball}`);

  const appDir = join(work, "app");
  mkdirSync(appDir);
  execFileSync("npm", ["init", "-y"], { cwd: appDir, stdio: "ignore" });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", join(packDir, tarball)], {
    cwd: appDir,
    stdio: "inherit",
  });
  lap("installed the tarball into an empty folder");

  const videoDir = join(work, "videos");
  mkdirSync(videoDir);
  copyFileSync(join(ROOT, "samples", VIDEO), join(videoDir, VIDEO));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = await startReel(appDir, videoDir, port);
  lap(`reel serve listens on ${base}`);

  // While the first scan runs, health says how far it is (`scanning`); wait for its end.
  let health = await (await fetch(`${base}/api/health`)).json();
  while (health.scanning !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    health = await (await fetch(`${base}/api/health`)).json();
  }
  assert(health.status === "ok" && health.videos === 1, `health: ${JSON.stringify(health)}`);
  const docs = await fetch(`${base}/docs`);
  assert(
    docs.status === 200 && (await docs.text()).includes("Reel API reference"),
    "docs at /docs",
  );

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
  const page = await browser.newPage();
  await page.goto(`${base}/`, { waitUntil: "domcontentloaded", timeout: WAIT_MS });
  const row = `button[aria-label="Play ${VIDEO}"]`;
  await page.waitForSelector(row, { timeout: WAIT_MS });
  lap("/ lists the video");
  await page.click(row);
  await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 1, null, {
    timeout: WAIT_MS,
    polling: 100,
  });
  lap("the video plays (currentTime > 1 s)");

  const deepLink = await browser.newPage();
  await deepLink.goto(`${base}/?v=${encodeURIComponent(VIDEO)}&t=3`, {
    waitUntil: "domcontentloaded",
    timeout: WAIT_MS,
  });
  await deepLink.waitForFunction(
    () => {
      const video = document.querySelector("video");
      return video !== null && video.readyState >= 1 && video.currentTime >= 3;
    },
    null,
    { timeout: WAIT_MS, polling: 100 },
  );
  const at = await deepLink.evaluate(() => document.querySelector("video")?.currentTime ?? 0);
  lap(`/?v=${VIDEO}&t=3 opens the video at ${at.toFixed(2)} s`);
  await browser.close();
  browser = undefined;

  const out = join(work, "downloaded.mp4");
  execFileSync("npx", ["reel", "download", base, VIDEO, out], { cwd: appDir, stdio: "inherit" });
  const same = readFileSync(out).equals(readFileSync(join(videoDir, VIDEO)));
  assert(same, `${out} differs from the served ${VIDEO}`);
  lap("reel download saved a byte-equal copy");

  // An interrupted download leaves OUT.part and the ETag it was read under; rerunning the same
  // command continues from there (If-Range) instead of starting over.
  const source = readFileSync(join(videoDir, VIDEO));
  const etag = (await fetch(`${base}/api/video/${VIDEO}`, { method: "HEAD" })).headers.get("etag");
  const resumed = join(work, "resumed.mp4");
  writeFileSync(`${resumed}.part`, source.subarray(0, 50_000));
  writeFileSync(`${resumed}.part.etag`, etag ?? "");
  const said = execFileSync("npx", ["reel", "download", base, VIDEO, resumed], {
    cwd: appDir,
    encoding: "utf8",
  });
  assert(said.includes("resumed from 50.0 KB"), `rerun did not resume: ${said}`);
  assert(readFileSync(resumed).equals(source), `${resumed} differs after resuming`);
  lap("a rerun resumed an interrupted download");
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(`pack-test: ${message}`);
  }
}

try {
  await main();
  lap("passed");
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  if (server !== undefined) {
    console.error(`--- reel output ---\n${server.output()}`);
  }
  process.exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  if (server !== undefined) {
    stopGroup(server.child);
  }
  rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
