import { formatDuration } from "../../lib/format";
import type { TimeSpan } from "./use-media-state";

/** Props of the buffer bar. */
export interface BufferBarProps {
  buffered: TimeSpan[];
  currentTime: number;
  duration: number;
}

function percent(seconds: number, duration: number): string {
  return `${Math.min(100, Math.max(0, (seconds / duration) * 100)).toFixed(3)}%`;
}

/** Describes the buffered spans in words, for screen readers and tooltips. */
export function describeBuffered(buffered: TimeSpan[]): string {
  if (buffered.length === 0) {
    return "Nothing buffered yet";
  }
  const spans = buffered.map((span) => `${formatDuration(span.start)}–${formatDuration(span.end)}`);
  return `Buffered ${spans.join(", ")}`;
}

/** Draws `video.buffered` as shaded spans on a track, with a marker at the playhead. */
export function BufferBar({ buffered, currentTime, duration }: BufferBarProps) {
  const known = Number.isFinite(duration) && duration > 0;
  return (
    <div className="buffer-bar" role="img" aria-label={describeBuffered(buffered)}>
      {known
        ? buffered.map((span) => (
            <span
              key={`${span.start}-${span.end}`}
              className="buffer-span"
              data-testid="buffer-span"
              style={{
                left: percent(span.start, duration),
                width: percent(span.end - span.start, duration),
              }}
            />
          ))
        : null}
      {known ? (
        <>
          <span className="played" style={{ width: percent(currentTime, duration) }} />
          <span className="playhead" style={{ left: percent(currentTime, duration) }} />
        </>
      ) : null}
    </div>
  );
}
