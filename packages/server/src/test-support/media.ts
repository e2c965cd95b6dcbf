/** Media helpers for the extras tests: sample copies, truncated files, JPEG facts via ffmpeg. */
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SAMPLES_DIR } from "../config.js";

/** The 10 s 320×180 testsrc sample with a sine (faststart). */
export const SAMPLE = join(SAMPLES_DIR, "sample_final.mp4");
/** A 6 s testsrc2 sample with `moov` at the end. */
export const LATE_MOOV = join(SAMPLES_DIR, "late_moov.mp4");

/** Copies `source` to `dir/name`; returns the path. */
export function copySample(dir: string, name: string, source = SAMPLE): string {
  const path = join(dir, name);
  copyFileSync(source, path);
  return path;
}

/** Writes the first half of `source` to `dir/name`: no `moov`, nothing ffmpeg can decode. */
export function writeTruncated(dir: string, name: string, source = LATE_MOOV): string {
  const bytes = readFileSync(source);
  const path = join(dir, name);
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return path;
}

/** Width, height and mean luma (0–255) of an image, decoded by ffmpeg to raw 8-bit gray. */
export function imageFacts(path: string): { width: number; height: number; meanLuma: number } {
  const probe = execFileSync(
    "ffprobe",
    ["-v", "error", "-show_entries", "stream=width,height,codec_name", "-of", "json", path],
    { encoding: "utf8" },
  );
  const stream = (JSON.parse(probe) as { streams: Array<{ width: number; height: number }> })
    .streams[0];
  const gray = execFileSync("ffmpeg", [
    "-v",
    "error",
    "-i",
    path,
    "-f",
    "rawvideo",
    "-pix_fmt",
    "gray",
    "-",
  ]);
  let sum = 0;
  for (const value of gray) {
    sum += value;
  }
  return {
    width: stream?.width ?? 0,
    height: stream?.height ?? 0,
    meanLuma: gray.length === 0 ? 0 : sum / gray.length,
  };
}

/** True when `bytes` start like a JPEG (SOI marker + a segment marker). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}
