// Starts the real stack the way the README does (`node scripts/start.mjs` from the repo root)
// on a temporary VIDEO_DIR and free ports, and stops its whole process group afterwards.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (packages/web/e2e → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CACHE_DIR = fileURLToPath(new URL("../node_modules/.cache/reel-e2e/", import.meta.url));

/** The big test video: 60 s of 1280×720 H.264 + AAC at a constant 3 Mbit/s (≈ 23 MB). */
export const BIG_VIDEO = "big_final.mp4";
/** The short one, copied from the repo's samples. */
export const SHORT_VIDEO = "sample_final.mp4";

// TOOLCHAIN.md's CBR recipe: test patterns compress to nothing without a forced bitrate, and a
// seek only produces a new range request when the file is too big to be buffered already.
const BIG_RECIPE = [
  "-y",
  "-loglevel",
  "error",
  "-f",
  "lavfi",
  "-i",
  "testsrc=duration=60:size=1280x720:rate=25",
  "-f",
  "lavfi",
  "-i",
  "sine=duration=60",
  "-c:v",
  "libx264",
  "-preset",
  "veryfast",
  "-b:v",
  "3M",
  "-minrate",
  "3M",
  "-maxrate",
  "3M",
  "-bufsize",
  "1M",
  "-x264-params",
  "nal-hrd=cbr",
  "-pix_fmt",
  "yuv420p",
  "-c:a",
  "aac",
  "-movflags",
  "+faststart",
];

/** Generates the big video once per checkout (cached under node_modules/.cache). */
export function ensureBigVideo(): string {
  const cached = join(CACHE_DIR, BIG_VIDEO);
  if (!existsSync(cached)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = join(CACHE_DIR, `${BIG_VIDEO}.tmp.mp4`);
    execFileSync("ffmpeg", [...BIG_RECIPE, partial], { stdio: "inherit" });
    execFileSync("mv", [partial, cached]);
  }
  return cached;
}

/** A fresh VIDEO_DIR holding the big and the short video. */
export function createVideoDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "reel-e2e-"));
  copyFileSync(ensureBigVideo(), join(dir, BIG_VIDEO));
  copyFileSync(join(REPO_ROOT, "samples", SHORT_VIDEO), join(dir, SHORT_VIDEO));
  return dir;
}

/**
 * A port free on 127.0.0.1 right now. Another process could take it before the stack binds it;
 * the stack then fails to start with a clear message, which beats colliding with someone's
 * `npm start` on the fixed 8000/5173 every time.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The running stack. */
export interface ReelStack {
  videoDir: string;
  /** The API server's port (what `npm start` runs on 8000). */
  apiPort: number;
  /** The player's port (Vite; 5173 under `npm start`). */
  webPort: number;
  /** Everything start.mjs printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`scripts/start.mjs exited with ${child.exitCode}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Extra settings for the stack. */
export interface ReelStackOptions {
  /** More environment for start.mjs and so the server (e.g. `CACHE_DIR`); wins over the rest. */
  env?: Record<string, string>;
}

/**
 * Runs `node scripts/start.mjs` with VIDEO_DIR=`videoDir` on free ports (PORT for the API,
 * REEL_WEB_PORT for the player); resolves once the player proxies the API.
 */
export async function startReel(
  videoDir: string,
  options: ReelStackOptions = {},
): Promise<ReelStack> {
  const apiPort = await findFreePort();
  const webPort = await findFreePort();
  // Posters and previews render into a cache of this stack's own (removed by stop()), never the
  // user's ~/.cache/reel; a test may still name its own CACHE_DIR, or turn EXTRAS off.
  const cacheDir = mkdtempSync(join(tmpdir(), "reel-e2e-cache-"));
  let log = "";
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      VIDEO_DIR: videoDir,
      LOG_LEVEL: "warn",
      PORT: String(apiPort),
      REEL_WEB_PORT: String(webPort),
      CACHE_DIR: cacheDir,
      ...options.env,
    },
    // Its own process group, so stop() reaches the server, pnpm and Vite together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const stack: ReelStack = {
    videoDir,
    apiPort,
    webPort,
    output: () => log,
    async stop() {
      const pid = child.pid;
      if (pid === undefined) {
        return;
      }
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      const timeout = new Promise((resolve) => setTimeout(resolve, 5000));
      await Promise.race([exited, timeout]);
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // Everything exited on SIGTERM.
      }
      rmSync(videoDir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
  try {
    await waitForHealth(`http://127.0.0.1:${webPort}/api/health`, child, 200_000);
  } catch (error) {
    await stack.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log}`);
  }
  return stack;
}
