/** The command that moves `moov` to the front without re-encoding. */
export const FASTSTART_FIX = "ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4";

/**
 * Warns that a file has its `moov` box after the media data: the browser must fetch the end of
 * the file before it can start, so playback starts slowly. Shows the one-line fix.
 */
export function FaststartBadge() {
  return (
    <span className="faststart">
      <span className="badge badge-warning">slow start: moov at end</span>
      <span className="faststart-hint">
        Fix: <code>{FASTSTART_FIX}</code>
      </span>
    </span>
  );
}
