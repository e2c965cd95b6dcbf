/**
 * Pure planning of a video's seek previews: how often to take a frame, how big a tile is, how
 * the tiles fall on sprite sheets, and the WebVTT thumbnails track that points into them (the
 * `sheet.jpg#xywh=x,y,w,h` cues Vidstack and Plyr read). No I/O: `render.ts` runs ffmpeg to
 * this plan, the previews route writes the track from it.
 */

/** Where the preview frames of one video go. */
export interface PreviewPlan {
  /** Milliseconds between two preview frames (a whole number, so ffmpeg's `fps` is exact). */
  intervalMs: number;
  /** Preview frames in all: one per started interval of the duration. */
  tileCount: number;
  /** Pixels. */
  tileWidth: number;
  /** Pixels, even (JPEG chroma subsampling), from the video's aspect ratio. */
  tileHeight: number;
  /** Tiles per row of a sheet. */
  columns: number;
  /** Rows per sheet. */
  rows: number;
  /** Sheets: `previews/0.jpg` … `previews/{sheetCount-1}.jpg`. */
  sheetCount: number;
  /** Pixels wide of the poster (the video's width, at most `POSTER_MAX_WIDTH`, even). */
  posterWidth: number;
  /** Seconds into the video the poster is taken from (past a black or title first frame). */
  posterAtSeconds: number;
}

const TILE_WIDTH = 160; // px, what players show above the seek bar
const MAX_TILES = 100; // per video; at most 4 sheets of 5 × 5
const GRID = 5; // tiles per row and rows per sheet
const INTERVAL_STEPS_MS = [1000, 2000, 5000, 10_000]; // one frame per 1–10 s, as duration allows
const POSTER_MAX_WIDTH = 640; // px
const POSTER_AT = 0.1; // fraction of the duration
const FALLBACK_ASPECT = 9 / 16; // height / width when the video's size is unknown

/** An even number of pixels ≥ 2 near `value` (yuv420 JPEG and H.264 frames need even sizes). */
function evenPixels(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

/**
 * The preview plan of a video of `durationSeconds` and `width` × `height` pixels (`null` when
 * unknown). A frame every 1, 2, 5 or 10 s, the first step that keeps `MAX_TILES`; longer videos
 * get `duration / MAX_TILES`, rounded up to whole milliseconds.
 */
export function planPreviews(
  durationSeconds: number,
  width: number | null,
  height: number | null,
): PreviewPlan {
  const durationMs = Math.max(0, durationSeconds * 1000);
  const intervalMs =
    INTERVAL_STEPS_MS.find((step) => Math.ceil(durationMs / step) <= MAX_TILES) ??
    Math.ceil(durationMs / MAX_TILES);
  const tileCount = Math.max(1, Math.ceil(durationMs / intervalMs));
  const aspect = width !== null && height !== null && width > 0 ? height / width : FALLBACK_ASPECT;
  const columns = Math.min(GRID, tileCount);
  const rows = Math.min(GRID, Math.ceil(tileCount / columns));
  return {
    intervalMs,
    tileCount,
    tileWidth: TILE_WIDTH,
    tileHeight: evenPixels(TILE_WIDTH * aspect),
    columns,
    rows,
    sheetCount: Math.ceil(tileCount / (columns * rows)),
    posterWidth: evenPixels(Math.min(POSTER_MAX_WIDTH, width ?? POSTER_MAX_WIDTH)),
    posterAtSeconds: Math.round(durationSeconds * POSTER_AT * 1000) / 1000,
  };
}

/** `HH:MM:SS.mmm`, the WebVTT cue timestamp (W3C WebVTT §4.2, hours always written). */
export function formatCueTime(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor(whole / 60_000) % 60;
  const seconds = Math.floor(whole / 1000) % 60;
  const pad = (value: number, size = 2) => String(value).padStart(size, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(whole % 1000, 3)}`;
}

/**
 * The WebVTT thumbnails track of `plan`: tile `i` covers `[i × interval, (i+1) × interval)`, the
 * last one ends at the duration, and each cue's text is `sheetUrl(n)#xywh=x,y,w,h` (Media
 * Fragments URI 1.0 §4.2.1 spatial dimension, in pixels).
 */
export function writePreviewTrack(
  plan: PreviewPlan,
  durationSeconds: number,
  sheetUrl: (sheet: number) => string,
): string {
  const durationMs = Math.max(durationSeconds * 1000, 1);
  const perSheet = plan.columns * plan.rows;
  const lines = ["WEBVTT", ""];
  for (let tile = 0; tile < plan.tileCount; tile++) {
    const start = Math.min(tile * plan.intervalMs, durationMs);
    const end = Math.min((tile + 1) * plan.intervalMs, durationMs);
    const onSheet = tile % perSheet;
    const x = (onSheet % plan.columns) * plan.tileWidth;
    const y = Math.floor(onSheet / plan.columns) * plan.tileHeight;
    const sheet = Math.floor(tile / perSheet);
    lines.push(
      `${formatCueTime(start)} --> ${formatCueTime(Math.max(end, start + 1))}`,
      `${sheetUrl(sheet)}#xywh=${x},${y},${plan.tileWidth},${plan.tileHeight}`,
      "",
    );
  }
  return lines.join("\n");
}
