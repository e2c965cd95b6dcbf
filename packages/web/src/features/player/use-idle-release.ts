import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { type IdleRelease, manageIdleRelease } from "./idle-release";
import { type MediaState, readMediaState } from "./use-media-state";

/**
 * How long a paused video may keep its connection in a hidden tab, in ms: long enough that a
 * glance at another tab costs nothing, short enough that opening tab after tab never has more
 * than one or two paused players holding a connection.
 */
export const IDLE_RELEASE_MS = 3000;

/** What the video view needs from the idle release. */
export interface IdleReleaseView {
  /** The state to show while the source is released or coming back, else null (show the element's). */
  frozen: MediaState | null;
  /** The canvas that shows the last frame while the source is away. */
  coverRef: RefObject<HTMLCanvasElement | null>;
  /** Playback position a person sees, in seconds. */
  currentTime(): number;
  /** Play/pause while released or restoring: handled here (true), else the caller's job (false). */
  togglePlay(): boolean;
  /** Seek while released or restoring: handled here (true), else the caller's job (false). */
  seekTo(seconds: number): boolean;
}

/** Copies the element's current frame, so the view keeps it while the source is away. */
function drawFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement | null): void {
  if (!canvas || video.videoWidth === 0) {
    return;
  }
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d")?.drawImage(video, 0, 0);
}

/**
 * Releases the video's connection after `graceMs` paused in a hidden tab and restores it
 * without a visible restart (see `idle-release.ts`).
 */
export function useIdleRelease(
  videoRef: RefObject<HTMLVideoElement | null>,
  graceMs = IDLE_RELEASE_MS,
): IdleReleaseView {
  const coverRef = useRef<HTMLCanvasElement>(null);
  const [frozen, setFrozenState] = useState<MediaState | null>(null);
  const frozenRef = useRef<MediaState | null>(null);
  const manager = useRef<IdleRelease | null>(null);
  const setFrozen = useCallback((next: MediaState | null) => {
    frozenRef.current = next;
    setFrozenState(next);
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) {
      return;
    }
    const idle = manageIdleRelease(video, document, {
      graceMs,
      onPhase(phase) {
        if (phase === "released") {
          drawFrame(video, coverRef.current);
          setFrozen({ ...readMediaState(video), paused: true, waiting: false });
        } else if (phase === "attached") {
          setFrozen(null);
        }
      },
    });
    manager.current = idle;
    return () => {
      idle.dispose();
      manager.current = null;
    };
  }, [videoRef, graceMs, setFrozen]);

  const currentTime = useCallback(
    () => manager.current?.currentTime() ?? videoRef.current?.currentTime ?? 0,
    [videoRef],
  );

  const togglePlay = useCallback(() => {
    const shown = frozenRef.current;
    if (!shown || !manager.current) {
      return false;
    }
    manager.current.resume({ play: shown.paused });
    setFrozen({ ...shown, paused: !shown.paused });
    return true;
  }, [setFrozen]);

  const seekTo = useCallback(
    (seconds: number) => {
      const shown = frozenRef.current;
      if (!shown || !manager.current) {
        return false;
      }
      const time = Number.isFinite(shown.duration)
        ? Math.min(Math.max(0, seconds), shown.duration)
        : Math.max(0, seconds);
      manager.current.resume({ time });
      setFrozen({ ...shown, currentTime: time });
      return true;
    },
    [setFrozen],
  );

  return { frozen, coverRef, currentTime, togglePlay, seekTo };
}
