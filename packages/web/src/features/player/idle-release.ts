/**
 * Gives a paused video's HTTP connection back while its tab is hidden. A browser buffering a
 * big file keeps its media request open (reading paused, socket held) for as long as the
 * element has a source, and it opens at most six HTTP/1.1 connections per host: a few paused
 * player tabs used to starve every other tab of the player. Chromium drops such a connection
 * by itself only after the player has been idle for about ten seconds more, and not always.
 *
 * After `graceMs` paused in a hidden tab, the element's source is detached (its request is
 * aborted, the socket closes); the view keeps showing the last frame. When the tab is shown
 * again, or play is pressed, the source comes back and the element seeks to the remembered
 * time before the cover is lifted, so a person sees no restart.
 *
 * Nothing is released when there is nothing to give back (the whole video is buffered, as
 * Firefox does for any video that fits its 500 MB media cache), nor when the browser could not
 * seek back (it offers only the buffered part as seekable): coming back must never restart.
 */

import { type SeekableMedia, seekMediaTo, spans, type TimeRangesLike } from "./seek-to";

/** `HTMLMediaElement.HAVE_METADATA` / `HAVE_CURRENT_DATA` (plain numbers: no DOM in tests). */
const HAVE_METADATA = 1;
const HAVE_CURRENT_DATA = 2;
/** Lift the cover after this long even if no frame was reported (a hidden tab paints none). */
const COVER_FALLBACK_MS = 1000;

/** The parts of an `HTMLVideoElement` this module touches. */
export interface ReleasableVideo extends SeekableMedia {
  readonly paused: boolean;
  readonly duration: number;
  readonly readyState: number;
  readonly buffered: TimeRangesLike;
  playbackRate: number;
  play(): Promise<void>;
  load(): void;
  getAttribute(name: "src"): string | null;
  setAttribute(name: "src", value: string): void;
  removeAttribute(name: "src"): void;
  /** Chromium and Firefox ≥ 132: called once the next frame is on screen. */
  requestVideoFrameCallback?(callback: () => void): number;
}

/** The page's visibility: `document`. */
export interface PageVisibility extends EventTarget {
  readonly visibilityState: DocumentVisibilityState;
}

/** `attached`: the element has its source; `released`: detached; `restoring`: reattaching. */
export type ReleasePhase = "attached" | "released" | "restoring";

/** Where playback was when the source was detached, and what to do when it is back. */
export interface ReleaseSnapshot {
  /** Seconds. */
  time: number;
  /** Seconds, NaN when unknown. */
  duration: number;
  /** Play once restored (play was pressed while released). */
  play: boolean;
}

/** Options of `manageIdleRelease`. */
export interface IdleReleaseOptions {
  /** How long the video must stay paused in a hidden tab before its source goes, in ms. */
  graceMs: number;
  /**
   * Called on every phase change. For `released` it runs just before the source is detached,
   * while the element still shows its frame: the moment to copy that frame.
   */
  onPhase(phase: ReleasePhase, snapshot: ReleaseSnapshot): void;
}

/** The running manager. */
export interface IdleRelease {
  phase(): ReleasePhase;
  /** The playback position a person should see, in seconds (the remembered one while released). */
  currentTime(): number;
  /**
   * Brings the source back (if released) and then applies `play` / `time`; while restoring,
   * updates what will be applied.
   */
  resume(request?: { play?: boolean; time?: number }): void;
  dispose(): void;
}

/**
 * Worth releasing and safe to restore: the browser does not have the whole video yet (so it
 * may hold a connection for the rest) and can seek anywhere (so it can come back to the time).
 */
function canGiveBack(video: ReleasableVideo): boolean {
  const { duration } = video;
  return (
    Number.isFinite(duration) &&
    !spans(video.buffered, 0, duration) &&
    spans(video.seekable, 0, duration)
  );
}

/** Watches `video` and `page` and releases/restores the video's source as described above. */
export function manageIdleRelease(
  video: ReleasableVideo,
  page: PageVisibility,
  options: IdleReleaseOptions,
): IdleRelease {
  let phase: ReleasePhase = "attached";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let coverTimer: ReturnType<typeof setTimeout> | undefined;
  let snapshot: ReleaseSnapshot = { time: 0, duration: Number.NaN, play: false };
  let rate = 1;
  let src: string | null = null;
  let disposed = false;
  // Each restore's callbacks check it: a frame callback cannot be cancelled in every browser.
  let restoreCount = 0;
  const restoreListeners: Array<[string, EventListener]> = [];
  let cancelSeek: (() => void) | null = null;

  const setPhase = (next: ReleasePhase) => {
    phase = next;
    options.onPhase(next, { ...snapshot });
  };

  const shouldRelease = () =>
    phase === "attached" &&
    page.visibilityState === "hidden" &&
    video.paused &&
    video.readyState >= HAVE_METADATA &&
    video.getAttribute("src") !== null &&
    canGiveBack(video);

  const release = () => {
    timer = undefined;
    if (disposed || !shouldRelease()) {
      return;
    }
    src = video.getAttribute("src");
    rate = video.playbackRate;
    snapshot = { time: video.currentTime, duration: video.duration, play: false };
    setPhase("released");
    // Removing the attribute alone keeps the current resource; load() then runs the media
    // element load algorithm with no source, which aborts the fetch (HTML §4.8.11.5).
    video.removeAttribute("src");
    video.load();
  };

  const schedule = () => {
    if (shouldRelease()) {
      timer ??= setTimeout(release, options.graceMs);
    } else if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };

  const listenOnce = (type: string, listener: EventListener) => {
    restoreListeners.push([type, listener]);
    video.addEventListener(type, listener, { once: true });
  };
  const stopRestoreListeners = () => {
    for (const [type, listener] of restoreListeners.splice(0)) {
      video.removeEventListener(type, listener);
    }
    cancelSeek?.();
    cancelSeek = null;
    clearTimeout(coverTimer);
  };

  const attach = (restore: number) => {
    if (disposed || phase !== "restoring" || restore !== restoreCount) {
      return;
    }
    stopRestoreListeners();
    snapshot = { ...snapshot, play: false };
    setPhase("attached");
    schedule();
  };

  /** The element is at the remembered time: play if asked, lift the cover on the next frame. */
  const onPositioned = () => {
    const restore = restoreCount;
    if (snapshot.play) {
      video.play().catch(() => undefined);
    }
    video.requestVideoFrameCallback?.(() => attach(restore));
    coverTimer = setTimeout(() => attach(restore), COVER_FALLBACK_MS);
  };

  const onMetadata = () => {
    video.playbackRate = rate;
    const target = Number.isFinite(video.duration)
      ? Math.min(snapshot.time, video.duration)
      : snapshot.time;
    cancelSeek = seekMediaTo(video, target, () => {
      if (video.readyState >= HAVE_CURRENT_DATA) {
        onPositioned();
      } else {
        listenOnce("loadeddata", onPositioned);
      }
    });
  };

  const resume = (request: { play?: boolean; time?: number } = {}) => {
    snapshot = {
      ...snapshot,
      time: request.time ?? snapshot.time,
      play: request.play ?? snapshot.play,
    };
    if (phase !== "released" || src === null) {
      return;
    }
    restoreCount += 1;
    const restore = restoreCount;
    setPhase("restoring");
    listenOnce("loadedmetadata", onMetadata);
    // A broken or deleted file: show the element's error instead of the frozen frame.
    listenOnce("error", () => attach(restore));
    // Setting `src` starts the load algorithm again, from the same URL.
    video.setAttribute("src", src);
  };

  const onVisibility = () => {
    if (page.visibilityState === "visible" && phase === "released") {
      resume();
    }
    schedule();
  };
  const onPlay = () => {
    // Play from outside the player's controls (media keys, the OS media session) while released.
    if (phase === "released") {
      resume({ play: true });
    }
    schedule();
  };

  // Everything after which `shouldRelease()` may have changed (`progress`: what is buffered).
  const MEDIA_EVENTS = [
    "pause",
    "playing",
    "ended",
    "loadedmetadata",
    "seeked",
    "progress",
    "suspend",
  ] as const;
  page.addEventListener("visibilitychange", onVisibility);
  video.addEventListener("play", onPlay);
  for (const type of MEDIA_EVENTS) {
    video.addEventListener(type, schedule);
  }
  schedule();

  return {
    phase: () => phase,
    currentTime: () => (phase === "attached" ? video.currentTime : snapshot.time),
    resume,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      stopRestoreListeners();
      page.removeEventListener("visibilitychange", onVisibility);
      video.removeEventListener("play", onPlay);
      for (const type of MEDIA_EVENTS) {
        video.removeEventListener(type, schedule);
      }
    },
  };
}
