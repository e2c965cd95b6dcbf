import { type PointerEvent, useRef, useState } from "react";
import { formatDuration } from "../../lib/format";
import { timeAtPointer } from "../previews/pointer-time";
import { SeekPreview } from "../previews/seek-preview";
import { findThumbnail, type Thumbnail } from "../previews/thumbnails";
import { BufferBar } from "./buffer-bar";
import type { TimeSpan } from "./use-media-state";

/** Props of the seek bar. */
export interface SeekBarProps {
  currentTime: number;
  duration: number;
  buffered: TimeSpan[];
  disabled: boolean;
  /** The preview track's frames (empty: the preview shows the time alone). */
  thumbnails: Thumbnail[];
  /** A time just sought to from the keyboard, previewed for a moment; null otherwise. */
  keyboardTime: number | null;
  onSeek(seconds: number): void;
  /** The slider itself was moved by a key (↑/↓, Home/End, Page Up/Down). */
  onKeyboardSeek(seconds: number): void;
}

/**
 * The buffer bar under a native range slider, and the preview tooltip: the frame and time under
 * the pointer (mouse hover, or a finger while it is down), or at a keyboard seek's new time.
 */
export function SeekBar(props: SeekBarProps) {
  const { currentTime, duration, buffered, disabled, thumbnails, keyboardTime } = props;
  const [hoverTime, setHoverTime] = useState<number | null>(null);
  // Set between a key going down on the slider and the change it causes.
  const keyed = useRef(false);
  const known = Number.isFinite(duration) && duration > 0;
  const max = known ? duration : 0;

  const follow = (event: PointerEvent<HTMLDivElement>) => {
    setHoverTime(timeAtPointer(event.clientX, event.currentTarget.getBoundingClientRect(), max));
  };
  const forget = () => setHoverTime(null);

  const preview =
    hoverTime !== null
      ? { time: hoverTime, source: "pointer" as const }
      : keyboardTime !== null
        ? { time: Math.min(Math.max(0, keyboardTime), max), source: "keyboard" as const }
        : null;

  return (
    <div
      className="seek"
      onPointerEnter={follow}
      onPointerMove={follow}
      onPointerDown={follow}
      onPointerLeave={forget}
      onPointerCancel={forget}
      onPointerUp={(event) => {
        // A lifted finger no longer points anywhere; a mouse still hovers.
        if (event.pointerType !== "mouse") {
          forget();
        }
      }}
    >
      <BufferBar buffered={buffered} currentTime={currentTime} duration={duration} />
      <input
        type="range"
        aria-label="Seek"
        min={0}
        max={max}
        step="any"
        value={Math.min(currentTime, max)}
        aria-valuetext={`${formatDuration(currentTime)} of ${formatDuration(max)}`}
        onKeyDown={() => {
          keyed.current = true;
        }}
        onKeyUp={() => {
          keyed.current = false;
        }}
        onBlur={() => {
          keyed.current = false;
        }}
        onChange={(event) => {
          const seconds = Number(event.target.value);
          props.onSeek(seconds);
          if (keyed.current) {
            props.onKeyboardSeek(seconds);
          }
        }}
        disabled={disabled || !known}
      />
      {preview && known && !disabled ? (
        <SeekPreview
          time={preview.time}
          duration={max}
          thumbnail={findThumbnail(thumbnails, preview.time)}
          source={preview.source}
        />
      ) : null}
    </div>
  );
}
