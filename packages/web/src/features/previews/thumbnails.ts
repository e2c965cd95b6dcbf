// The seek-preview track: WebVTT whose cues each name one frame, as `sheet.jpg#xywh=x,y,w,h`
// (the thumbnails format Vidstack and Plyr read). Parsing is media-captions' (Vidstack's own
// WebVTT parser); what a cue's text means and which cue covers a time is ours, and pure.
import { parseText } from "media-captions";

/** A rectangle of a sprite sheet, in CSS pixels of the sheet. */
export interface SheetRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One preview frame: the time span it stands for and where its picture is. */
export interface Thumbnail {
  /** Seconds. */
  start: number;
  /** Seconds (exclusive). */
  end: number;
  /** The image's absolute URL, without the media fragment. */
  url: string;
  /** The frame's region of the sheet, or null when the cue names a whole image. */
  region: SheetRegion | null;
}

const XYWH = /^xywh=(?:pixel:)?(\d+),(\d+),(\d+),(\d+)$/;

/**
 * `xywh=160,0,160,90` → its region (Media Fragments URI 1.0 §4.2.2; `pixel:` is the default
 * unit). `percent:` regions and anything malformed give null: the whole image is shown instead.
 */
export function parseXywh(fragment: string): SheetRegion | null {
  const match = XYWH.exec(fragment.replace(/^#/, ""));
  if (!match) {
    return null;
  }
  const [x, y, w, h] = match.slice(1).map(Number);
  if (x === undefined || y === undefined || !w || !h) {
    return null;
  }
  return { x, y, w, h };
}

/**
 * A cue's text → the thumbnail it names, its URL resolved against the track's own URL (as a
 * browser resolves any URL in a fetched document); null when the text is not a URL.
 */
export function toThumbnail(
  start: number,
  end: number,
  text: string,
  trackUrl: string,
): Thumbnail | null {
  let url: URL;
  try {
    url = new URL(text.trim(), trackUrl);
  } catch {
    return null;
  }
  const region = parseXywh(url.hash);
  url.hash = "";
  return { start, end, url: url.href, region };
}

/** Parses a thumbnails track fetched from `trackUrl`, in time order; cues that name no image are skipped. */
export async function parseThumbnails(vtt: string, trackUrl: string): Promise<Thumbnail[]> {
  const { cues } = await parseText(vtt, { type: "vtt" });
  return cues
    .map((cue) => toThumbnail(cue.startTime, cue.endTime, cue.text, trackUrl))
    .filter((thumbnail) => thumbnail !== null)
    .sort((a, b) => a.start - b.start);
}

/**
 * The thumbnail whose cue covers `time`: `start ≤ time < end` (a WebVTT cue's active span), or
 * the last cue at exactly its end, so hovering the very end of the bar still shows a frame. With
 * overlapping cues the covering one that starts last wins. Null in a gap or past the end.
 */
export function findThumbnail(thumbnails: readonly Thumbnail[], time: number): Thumbnail | null {
  // Binary search for the last cue starting at or before `time`, then back over any overlap.
  let low = 0;
  let high = thumbnails.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((thumbnails[middle]?.start ?? Number.POSITIVE_INFINITY) <= time) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  const last = thumbnails.length - 1;
  for (let index = high; index >= 0; index -= 1) {
    const thumbnail = thumbnails[index];
    if (thumbnail && (time < thumbnail.end || (index === last && time === thumbnail.end))) {
      return thumbnail;
    }
  }
  return null;
}
