import type { CSSProperties } from "react";
import { formatDuration } from "../../lib/format";
import type { Thumbnail } from "./thumbnails";

/** Size of the frame box when a cue names a whole image rather than a sheet region (16:9). */
const WHOLE_IMAGE = { w: 160, h: 90 };

/** Props of the tooltip over the seek bar. */
export interface SeekPreviewProps {
  /** The time it previews, seconds. */
  time: number;
  duration: number;
  /** The frame covering `time`, or null (no track, still loading, or a gap): the time alone. */
  thumbnail: Thumbnail | null;
  /** What brought it up, for styling and tests. */
  source: "pointer" | "keyboard";
}

/** The frame's box: the sheet as background, shifted so only the cue's region shows. */
export function frameStyle(thumbnail: Thumbnail): CSSProperties {
  const { region, url } = thumbnail;
  const image = `url(${JSON.stringify(url)})`;
  if (region === null) {
    return {
      width: WHOLE_IMAGE.w,
      height: WHOLE_IMAGE.h,
      backgroundImage: image,
      backgroundSize: "cover",
      backgroundPosition: "center",
    };
  }
  return {
    width: region.w,
    height: region.h,
    backgroundImage: image,
    backgroundPosition: `${-region.x}px ${-region.y}px`,
    backgroundRepeat: "no-repeat",
  };
}

/**
 * The preview frame and time above the seek bar, at the previewed time's position along it
 * (kept inside the bar at both ends). Decorative for screen readers: the slider's own
 * `aria-valuetext` says the time, and the frame has no words.
 */
export function SeekPreview({ time, duration, thumbnail, source }: SeekPreviewProps) {
  const percent = Math.min(100, Math.max(0, (time / duration) * 100));
  const half = (thumbnail?.region?.w ?? (thumbnail ? WHOLE_IMAGE.w : 48)) / 2;
  const region = thumbnail?.region;
  return (
    <div
      className="seek-preview"
      data-testid="seek-preview"
      data-source={source}
      data-time={time.toFixed(3)}
      data-preview-url={thumbnail?.url}
      data-xywh={region ? `${region.x},${region.y},${region.w},${region.h}` : undefined}
      aria-hidden="true"
      style={{ left: `clamp(${half}px, ${percent.toFixed(3)}%, calc(100% - ${half}px))` }}
    >
      {thumbnail ? <div className="seek-preview-frame" style={frameStyle(thumbnail)} /> : null}
      <span className="seek-preview-time">{formatDuration(time)}</span>
    </div>
  );
}
