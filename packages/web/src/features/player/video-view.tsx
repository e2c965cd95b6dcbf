import { useCallback, useEffect, useRef, useState } from "react";
import { formatDuration } from "../../lib/format";
import type { SubtitleTrack } from "../../lib/reel";
import { useMomentary } from "../../lib/use-momentary";
import type { Thumbnail } from "../previews/thumbnails";
import { SubtitleTrackElement } from "../subtitles/subtitle-track";
import { SubtitlesMenu } from "../subtitles/subtitles-menu";
import { useSubtitleChoice } from "../subtitles/use-subtitle-choice";
import { FullscreenIcon, PauseIcon, PlayIcon, VolumeIcon } from "./icons";
import { type PlayerActions, useKeyboardShortcuts } from "./keyboard-shortcuts";
import { describeMediaError } from "./media-error";
import { SeekBar } from "./seek-bar";
import { seekMediaTo } from "./seek-to";
import { useIdleRelease } from "./use-idle-release";
import { useMediaState } from "./use-media-state";

/** Props of the video and its controls. */
export interface VideoViewProps {
  src: string;
  title: string;
  /** Second to start from (a deep link's `t`), or null for the beginning. */
  startTime: number | null;
  /** Called with the whole second playback is at, once per second of change. */
  onTimeChange(seconds: number): void;
  /** Frames for the seek bar's preview (empty when the video has none). */
  thumbnails: Thumbnail[];
  /** Sidecar subtitles, their `url`s absolute. */
  subtitles: SubtitleTrack[];
}

/** How long a keyboard seek shows its preview over the seek bar, in ms. */
export const KEYBOARD_PREVIEW_MS = 1500;

/**
 * Plays `video`; when the browser's autoplay policy refuses sound without a click (a deep link
 * opened in a new tab), plays it muted instead, as video sites do — the Unmute button is there.
 */
export function startPlaying(video: HTMLVideoElement): void {
  video.play().catch((error: unknown) => {
    if (error instanceof DOMException && error.name === "NotAllowedError" && !video.muted) {
      video.muted = true;
      video.play().catch(() => undefined);
    }
  });
}

/**
 * Native <video> with play/pause, a seek slider over the buffer bar, time and fullscreen. Paused
 * in a hidden tab, it gives its connection back after a while and shows its last frame until
 * the source is back at the same time (`useIdleRelease`).
 */
export function VideoView(props: VideoViewProps) {
  const { src, title, startTime, onTimeChange, thumbnails } = props;
  const videoRef = useRef<HTMLVideoElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const live = useMediaState(videoRef);
  const idle = useIdleRelease(videoRef);
  // While the source is away the element reports 0:00 and no duration: show what it had.
  const media = idle.frozen ?? live;
  const [fullscreen, setFullscreen] = useState(false);
  const started = useRef(false);
  const subtitles = useSubtitleChoice(props.subtitles);

  // Jump to the deep link's second once the duration is known, then try to play. A rejected
  // play() (autoplay policy) just leaves the Play button for the person to press.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) {
      return;
    }
    let cancelSeek: (() => void) | null = null;
    const onLoaded = () => {
      if (startTime !== null && startTime > 0) {
        const target = Number.isFinite(video.duration)
          ? Math.min(startTime, video.duration)
          : startTime;
        // Firefox may land short of it and get there only once playing has brought the data
        // (see seek-to.ts): play at once, as without that detour.
        cancelSeek = seekMediaTo(video, target, () => undefined);
      }
      started.current = true;
      startPlaying(video);
    };
    // The metadata may already be there if it loaded before this effect ran.
    if (video.readyState >= HTMLMediaElement.HAVE_METADATA) {
      onLoaded();
    } else {
      video.addEventListener("loadedmetadata", onLoaded, { once: true });
    }
    return () => {
      video.removeEventListener("loadedmetadata", onLoaded);
      cancelSeek?.();
    };
  }, [startTime]);

  const second = Math.floor(media.currentTime);
  useEffect(() => {
    if (started.current) {
      onTimeChange(second);
    }
  }, [second, onTimeChange]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === frameRef.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);

  const { togglePlay: toggleReleased, seekTo: seekReleased, currentTime } = idle;
  const togglePlay = useCallback(() => {
    const video = videoRef.current;
    if (!video || toggleReleased()) {
      return;
    }
    if (video.paused) {
      video.play().catch(() => undefined);
    } else {
      video.pause();
    }
  }, [toggleReleased]);

  const seekTo = useCallback(
    (seconds: number) => {
      const video = videoRef.current;
      if (!video || seekReleased(seconds) || !Number.isFinite(video.duration)) {
        return;
      }
      video.currentTime = Math.min(Math.max(0, seconds), video.duration);
    },
    [seekReleased],
  );

  const toggleMute = useCallback(() => {
    const video = videoRef.current;
    if (video) {
      video.muted = !video.muted;
    }
  }, []);

  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => undefined);
    } else {
      frameRef.current?.requestFullscreen().catch(() => undefined);
    }
  }, []);

  const [keyboardTime, showKeyboardTime] = useMomentary<number>(KEYBOARD_PREVIEW_MS);
  const actions = useRef<PlayerActions>({
    togglePlay,
    toggleFullscreen,
    seekBy: (seconds) => {
      const target = currentTime() + seconds;
      seekTo(target);
      showKeyboardTime(target);
    },
  });
  useKeyboardShortcuts(actions);

  const failed = media.error !== null;
  const error = media.error ? describeMediaError(media.error) : null;

  return (
    <div className={fullscreen ? "video-frame fullscreen" : "video-frame"} ref={frameRef}>
      <div className="video-box">
        {/* biome-ignore lint/a11y/useMediaCaption: a <track> is there once subtitles are chosen (CC) */}
        <video
          ref={videoRef}
          src={src}
          preload="auto"
          playsInline
          onClick={togglePlay}
          aria-label={`Video: ${title}`}
          hidden={failed}
        >
          <SubtitleTrackElement track={subtitles.active} />
        </video>
        <canvas ref={idle.coverRef} className="video-cover" hidden={idle.frozen === null} />
        {error ? (
          <div className="media-error" role="alert">
            <h3>This video can't be played</h3>
            <p>
              <code>{error.title}</code>: {error.explanation}
            </p>
            {error.message ? <p className="muted break">Browser says: {error.message}</p> : null}
            <p className="muted">The file can still be downloaded below.</p>
          </div>
        ) : null}
        {media.waiting && !media.paused && !failed ? (
          <p className="buffering" role="status">
            Buffering…
          </p>
        ) : null}
      </div>
      <div className="controls">
        <button
          type="button"
          className="icon-button"
          aria-label={media.paused ? "Play" : "Pause"}
          onClick={togglePlay}
          disabled={failed}
        >
          {media.paused ? <PlayIcon /> : <PauseIcon />}
        </button>
        <SeekBar
          currentTime={media.currentTime}
          duration={media.duration}
          buffered={media.buffered}
          disabled={failed}
          thumbnails={thumbnails}
          keyboardTime={keyboardTime}
          onSeek={seekTo}
          onKeyboardSeek={showKeyboardTime}
        />
        <span className="time">
          {formatDuration(media.currentTime)} / {formatDuration(media.duration)}
        </span>
        {props.subtitles.length > 0 ? (
          <SubtitlesMenu
            tracks={props.subtitles}
            active={subtitles.active}
            onChoose={subtitles.choose}
            disabled={failed}
          />
        ) : null}
        <button
          type="button"
          className="icon-button"
          aria-label={media.muted ? "Unmute" : "Mute"}
          onClick={toggleMute}
          disabled={failed}
        >
          <VolumeIcon muted={media.muted} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={fullscreen ? "Exit fullscreen" : "Fullscreen"}
          onClick={toggleFullscreen}
          disabled={failed}
        >
          <FullscreenIcon exit={fullscreen} />
        </button>
      </div>
    </div>
  );
}
