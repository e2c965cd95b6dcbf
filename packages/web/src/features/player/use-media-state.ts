import { type RefObject, useEffect, useState } from "react";

/** A buffered span of the media, in seconds. */
export interface TimeSpan {
  start: number;
  end: number;
}

/** What the controls need to know about the <video> element, refreshed from its events. */
export interface MediaState {
  paused: boolean;
  muted: boolean;
  currentTime: number;
  duration: number;
  buffered: TimeSpan[];
  waiting: boolean;
  error: MediaError | null;
}

const INITIAL: MediaState = {
  paused: true,
  muted: false,
  currentTime: 0,
  duration: Number.NaN,
  buffered: [],
  waiting: false,
  error: null,
};

// Every event after which one of the fields above may have changed.
const EVENTS = [
  "play",
  "pause",
  "playing",
  "waiting",
  "timeupdate",
  "durationchange",
  "loadedmetadata",
  "progress",
  "seeking",
  "seeked",
  "ended",
  "error",
  "emptied",
  "volumechange",
] as const;

/** Copies `TimeRanges` into plain spans. */
export function readTimeRanges(ranges: TimeRanges): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (let index = 0; index < ranges.length; index += 1) {
    spans.push({ start: ranges.start(index), end: ranges.end(index) });
  }
  return spans;
}

/** Reads the element's state now; `event` is the one that prompted the read. */
export function readMediaState(video: HTMLVideoElement, event = "read"): MediaState {
  return {
    paused: video.paused,
    muted: video.muted,
    currentTime: video.currentTime,
    duration: video.duration,
    buffered: readTimeRanges(video.buffered),
    waiting: event === "waiting" || (event !== "playing" && video.seeking),
    // `?? null`: jsdom (and so the component tests) has no `error` property at all.
    error: video.error ?? null,
  };
}

/** Subscribes to a <video>'s events and returns its current state. */
export function useMediaState(ref: RefObject<HTMLVideoElement | null>): MediaState {
  const [state, setState] = useState(INITIAL);
  useEffect(() => {
    const video = ref.current;
    if (!video) {
      return;
    }
    const onEvent = (event: Event) => setState(readMediaState(video, event.type));
    // Catch up with anything that happened between render and this effect.
    setState(readMediaState(video, "subscribe"));
    for (const name of EVENTS) {
      video.addEventListener(name, onEvent);
    }
    return () => {
      for (const name of EVENTS) {
        video.removeEventListener(name, onEvent);
      }
    };
  }, [ref]);
  return state;
}
