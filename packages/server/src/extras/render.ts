/**
 * Renders one video's extras into a work directory: probe (duration, size), the poster and the
 * sprite sheets, each one ffmpeg run at low priority with a timeout (`run-tool.ts`). ffmpeg
 * writes the JPEGs itself; only ffprobe's small JSON passes through Reel.
 */
import { join } from "node:path";
import { z } from "zod";
import { POSTER_FILE, sheetFile } from "./artifacts.js";
import { type PreviewPlan, planPreviews } from "./plan.js";
import { runToolOrThrow, type ToolRunOptions } from "./run-tool.js";
import type { MediaTools } from "./tools.js";

// File names inside an entry directory (artifacts.ts, which the workers read without this file).
export { POSTER_FILE, sheetFile };

/** What a render produced, recorded in the entry's manifest. */
export interface Rendered {
  durationSeconds: number;
  plan: PreviewPlan;
}

/** Inputs of one render. */
export interface RenderJob {
  tools: MediaTools;
  /** `VideoStore.mediaSource`: a `file:` path or an http(s) URL. */
  input: string;
  /** An empty directory the files are written into. */
  workDir: string;
  /** Per ffmpeg/ffprobe run. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called before each run (for counting and tests). */
  onRun?: () => void;
}

const ProbeSchema = z.object({
  streams: z
    .array(z.object({ width: z.number().optional(), height: z.number().optional() }))
    .default([]),
  format: z.object({ duration: z.coerce.number().positive() }),
});

// Quiet, never reads stdin (it would wait on a terminal), one thread each so a render takes one
// core at most and leaves the other to the requests.
const COMMON = ["-nostdin", "-hide_banner", "-loglevel", "error", "-threads", "1"];
const FILTER_THREADS = ["-filter_threads", "1"];
const LONG_VIDEO_SECONDS = 600; // past this, sprites decode keyframes only (~10× faster)

/**
 * Probes, then renders the poster and the sheets of `job.input` into `job.workDir`.
 * @throws {ToolError} when a run fails or times out (a broken or truncated file), or when the
 *   probe finds no duration; the spawn error when a tool cannot be started.
 */
export async function renderExtras(job: RenderJob): Promise<Rendered> {
  const run = (command: string, args: string[], captureStdout = false) => {
    job.onRun?.();
    const options: ToolRunOptions = { timeoutMs: job.timeoutMs, signal: job.signal, captureStdout };
    return runToolOrThrow(command, args, options);
  };
  const probed = await run(
    job.tools.ffprobe,
    [
      "-v",
      "error",
      "-select_streams",
      "v:0",
      "-show_entries",
      "stream=width,height:format=duration",
      "-of",
      "json",
      "-i",
      job.input,
    ],
    true,
  );
  const facts = ProbeSchema.parse(JSON.parse(probed.stdout));
  const stream = facts.streams[0];
  if (stream === undefined) {
    throw new Error("no video stream");
  }
  const durationSeconds = facts.format.duration;
  const plan = planPreviews(durationSeconds, stream.width ?? null, stream.height ?? null);

  // Poster: seek a tenth in (input seeking, fast), then let `thumbnail` pick the most typical of
  // the next frames, so a fade-in or a black first frame is never the poster.
  await run(job.tools.ffmpeg, [
    ...COMMON,
    "-ss",
    plan.posterAtSeconds.toFixed(3),
    "-i",
    job.input,
    ...FILTER_THREADS,
    "-an",
    "-sn",
    "-dn",
    "-vf",
    `thumbnail=25,scale=${plan.posterWidth}:-2`,
    "-frames:v",
    "1",
    "-q:v",
    "3",
    "-update",
    "1", // one image, no `%d` pattern: a `%` in CACHE_DIR stays a `%`
    "-y",
    join(job.workDir, POSTER_FILE),
  ]);

  // Sheets: one frame per interval (`round=up` yields ceil(duration / interval) frames, the
  // plan's tile count), scaled to a tile, laid out by `tile`, which also flushes a last partial
  // sheet. `-frames:v` caps the sheets at the plan's count.
  await run(job.tools.ffmpeg, [
    ...COMMON,
    ...(durationSeconds > LONG_VIDEO_SECONDS ? ["-skip_frame", "nokey"] : []),
    "-i",
    job.input,
    ...FILTER_THREADS,
    "-an",
    "-sn",
    "-dn",
    "-vf",
    `fps=1000/${plan.intervalMs}:round=up,scale=${plan.tileWidth}:${plan.tileHeight},tile=${plan.columns}x${plan.rows}`,
    "-frames:v",
    String(plan.sheetCount),
    "-start_number",
    "0",
    "-q:v",
    "5",
    "-y",
    // image2 numbers files by a printf-style pattern: a `%` of the directory must be doubled.
    join(job.workDir.replaceAll("%", "%%"), "sheet-%d.jpg"),
  ]);
  return { durationSeconds, plan };
}
