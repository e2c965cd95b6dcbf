/** Renders with the real ffmpeg of this machine (Debian's), on the repo's sample videos. */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  copySample,
  imageFacts,
  isJpeg,
  LATE_MOOV,
  writeTruncated,
} from "../test-support/media.js";
import { makeTempDir } from "../test-support/temp-dir.js";
import { writePreviewTrack } from "./plan.js";
import { POSTER_FILE, renderExtras, sheetFile } from "./render.js";
import { ToolError } from "./run-tool.js";
import { findMediaTools, type MediaTools } from "./tools.js";

const lookup = findMediaTools(undefined);
if (!lookup.found) {
  throw new Error(`these tests need ffmpeg: ${lookup.reason}`);
}
const tools: MediaTools = lookup.tools;

let videos: string;
let work: string;

beforeEach(() => {
  videos = makeTempDir("reel-render-videos-");
  work = makeTempDir("reel-render-work-");
});
afterEach(() => {
  rmSync(videos, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const render = (path: string, timeoutMs = 30_000) => {
  let runs = 0;
  const result = renderExtras({
    tools,
    input: `file:${path}`,
    workDir: work,
    timeoutMs,
    onRun: () => {
      runs += 1;
    },
  });
  return { result, runs: () => runs };
};

describe("renderExtras", { timeout: 120_000 }, () => {
  it("renders a poster of the video's size that is not a black frame", async () => {
    const { result } = render(copySample(videos, "sample_final.mp4"));
    const rendered = await result;
    expect(rendered.durationSeconds).toBeCloseTo(10, 1);
    const poster = join(work, POSTER_FILE);
    expect(isJpeg(readFileSync(poster))).toBe(true);
    const facts = imageFacts(poster);
    expect({ width: facts.width, height: facts.height }).toEqual({ width: 320, height: 180 });
    expect(facts.meanLuma).toBeGreaterThan(40); // testsrc's colour bars; black would be ~16
  });

  it("lays out as many tiles as the track has cues, on sheets of the planned grid", async () => {
    const { result } = render(copySample(videos, "sample_final.mp4"));
    const { plan, durationSeconds } = await result;
    expect(plan).toMatchObject({ tileCount: 10, columns: 5, rows: 2, sheetCount: 1 });
    const cues = writePreviewTrack(plan, durationSeconds, (n) => `${n}.jpg`)
      .split("\n")
      .filter((line) => line.includes("#xywh="));
    expect(cues).toHaveLength(plan.tileCount);
    expect(readdirSync(work).filter((file) => file.startsWith("sheet-"))).toEqual([sheetFile(0)]);
    const sheet = imageFacts(join(work, sheetFile(0)));
    expect({ width: sheet.width, height: sheet.height }).toEqual({
      width: plan.columns * plan.tileWidth,
      height: plan.rows * plan.tileHeight,
    });
    // The last tile holds a frame (testsrc), not the tile filter's black padding.
    expect(sheet.meanLuma).toBeGreaterThan(40);
  });

  it("reads a file whose moov comes last", async () => {
    const { result } = render(copySample(videos, "late.mp4", LATE_MOOV));
    const { plan } = await result;
    expect(plan.tileCount).toBe(6);
    expect(existsSync(join(work, POSTER_FILE))).toBe(true);
  });

  it.each([
    "-leading dash.mp4",
    'it\'s "quoted" $(x) `y`.mp4',
    "café clip 日本.mp4",
    "a;b|c&d>e.mp4",
    "100% %d.mp4",
  ])("passes the name %j to ffmpeg as data, never as syntax", async (name) => {
    const { result } = render(copySample(videos, name));
    await result;
    expect(existsSync(join(work, POSTER_FILE))).toBe(true);
    expect(existsSync(join(work, sheetFile(0)))).toBe(true);
  });

  it("fails a truncated MP4 at the probe, with ffmpeg's reason", async () => {
    const { result, runs } = render(writeTruncated(videos, "broken.mp4"));
    await expect(result).rejects.toBeInstanceOf(ToolError);
    await expect(result).rejects.toThrow(/ffprobe exited with 1/);
    expect(runs()).toBe(1);
  });

  it("kills a run that outlives its timeout", async () => {
    const started = Date.now();
    const { result } = render(copySample(videos, "sample_final.mp4"), 1);
    await expect(result).rejects.toThrow(/timed out after 1 ms/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
