/**
 * The videos of the extras rows: 20 real H.264 clips (ffmpeg's `testsrc`, 640x360, 25 fps,
 * libx264 veryfast) made once and kept in bench/.tmp/ (gitignored, like the compiled peers),
 * and a served folder per run that holds them beside the W3 file. One clip is encoded (~4 s);
 * the 20 are stream copies of it, each with its own title, so they differ byte for byte and each
 * is a video of its own to Reel, while a fresh checkout (CI's quick run) does not pay 20
 * encodes.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Fixture } from "./fixture.js";
import { spawnManaged } from "./processes.js";

/** How many videos the queue is given to render. */
export const EXTRAS_VIDEO_COUNT = 20;
const SECONDS = 24;
const SIZE = "640x360";
/** What the clips are, for the report. */
export const EXTRAS_VIDEO_DESCRIPTION = `${SECONDS} s, ${SIZE} testsrc at 25 fps, libx264 veryfast; stream copies of one encode, each titled`;
// The parameters are in the folder's name, so changing one makes a new set instead of reusing.
const CACHE_DIR = fileURLToPath(
  new URL(`../.tmp/extras-videos-${SIZE}-${SECONDS}s-v2/`, import.meta.url),
);

/** `extras-01.mp4` … `extras-20.mp4`. */
export function extrasVideoName(index: number): string {
  return `extras-${String(index + 1).padStart(2, "0")}.mp4`;
}

/** Makes the clips that are not cached yet; returns their paths. */
export async function ensureExtrasVideos(log: (line: string) => void): Promise<string[]> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const paths = Array.from({ length: EXTRAS_VIDEO_COUNT }, (_, index) =>
    join(CACHE_DIR, extrasVideoName(index)),
  );
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    log(`extras: making ${missing.length} test videos (${SECONDS} s, ${SIZE}) in ${CACHE_DIR}`);
  }
  const base = join(CACHE_DIR, "base.mp4");
  if (missing.length > 0 && !existsSync(base)) {
    await runFfmpeg(base, [
      "-f",
      "lavfi",
      "-i",
      `testsrc=size=${SIZE}:rate=25:duration=${SECONDS}`,
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-pix_fmt",
      "yuv420p",
    ]);
  }
  for (const path of missing) {
    const title = path.slice(path.lastIndexOf("/") + 1);
    await runFfmpeg(path, ["-i", base, "-c", "copy", "-metadata", `title=${title}`]);
  }
  return paths;
}

/** `ffmpeg <args> <path>`, written to a temporary name and renamed once complete. */
async function runFfmpeg(path: string, args: string[]): Promise<void> {
  const partial = `${path}.part.mp4`; // a cut-short run leaves no clip behind
  const managed = spawnManaged("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    ...args,
    partial,
  ]);
  const code = await managed.exited;
  if (code !== 0) {
    rmSync(partial, { force: true });
    throw new Error(`ffmpeg could not make ${path} (exit ${code}):\n${managed.output()}`);
  }
  renameSync(partial, path);
}

/**
 * A folder beside the fixture's holding the W3 file (a hard link, same file system) and a copy
 * of every clip; it goes with the fixture's temporary root at the end of the run.
 */
export function createExtrasDir(fixture: Fixture, videos: string[]): string {
  const dir = join(fixture.dir, "..", "extras-videos");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o755 });
  const target = join(dir, fixture.filename);
  try {
    linkSync(fixture.path, target);
  } catch {
    copyFileSync(fixture.path, target);
  }
  for (const video of videos) {
    copyFileSync(video, join(dir, video.slice(video.lastIndexOf("/") + 1)));
  }
  return dir;
}
