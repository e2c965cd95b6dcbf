/**
 * Seeks a media element to a time and reports when it is there, also when the browser cannot go
 * there yet. A seek outside `seekable` lands at its nearest end (HTML §4.8.11.9), and Firefox
 * offers only what it has downloaded as seekable when the response carries a Content-Encoding
 * (Reel sends `identity`): a deep link to 0:30 then lands at 0:02. Seeking again once the data
 * has come gets there. Firefox stops downloading a paused video after a few seconds of it, so
 * the data only keeps coming while the element loads or plays.
 */

/** `HTMLMediaElement.NETWORK_LOADING`: more data is on its way. */
const NETWORK_LOADING = 2;
/** Seconds of slack when comparing times (frame and container rounding). */
export const TIME_SLACK_S = 0.1;
/** Seeks per call before settling for where the element is. */
const MAX_SEEKS = 4;
/** Events (`progress`, `suspend`, `timeupdate`: a few a second) to wait for the time to be seekable. */
const MAX_DATA_WAITS = 400;

/** A `TimeRanges`. */
export interface TimeRangesLike {
  readonly length: number;
  start(index: number): number;
  end(index: number): number;
}

/** The parts of an `HTMLMediaElement` a seek touches. */
export interface SeekableMedia extends EventTarget {
  currentTime: number;
  readonly paused: boolean;
  readonly seeking: boolean;
  readonly networkState: number;
  readonly seekable: TimeRangesLike;
}

/** True when one of `ranges` spans `from`…`to`, give or take the slack. */
export function spans(ranges: TimeRangesLike, from: number, to: number): boolean {
  for (let index = 0; index < ranges.length; index += 1) {
    if (ranges.start(index) <= from + TIME_SLACK_S && ranges.end(index) >= to - TIME_SLACK_S) {
      return true;
    }
  }
  return false;
}

/**
 * Seeks `media` to `seconds` and calls `onArrived` once it is there, or as near as it can get
 * when no more data is coming. Returns a function that cancels (removes every listener).
 */
export function seekMediaTo(
  media: SeekableMedia,
  seconds: number,
  onArrived: () => void,
): () => void {
  const listeners: Array<[string, EventListener]> = [];
  const once = (types: string[], listener: () => void) => {
    let fired = false;
    const handler = () => {
      if (!fired) {
        fired = true;
        listener();
      }
    };
    for (const type of types) {
      listeners.push([type, handler]);
      media.addEventListener(type, handler, { once: true });
    }
  };
  const cancel = () => {
    for (const [type, listener] of listeners.splice(0)) {
      media.removeEventListener(type, listener);
    }
  };

  const check = (seeks: number, waits: number) => {
    if (media.seeking) {
      once(["seeked"], () => check(seeks, waits));
      return;
    }
    const there = Math.abs(media.currentTime - seconds) <= TIME_SLACK_S;
    const dataMayCome =
      waits < MAX_DATA_WAITS &&
      (waits === 0 || media.networkState === NETWORK_LOADING || !media.paused);
    if (there || seeks >= MAX_SEEKS || (!spans(media.seekable, seconds, seconds) && !dataMayCome)) {
      cancel();
      onArrived();
    } else if (spans(media.seekable, seconds, seconds)) {
      media.currentTime = seconds;
      check(seeks + 1, waits);
    } else {
      once(["progress", "suspend", "timeupdate"], () => check(seeks, waits + 1));
    }
  };

  media.currentTime = seconds;
  check(1, 0);
  return cancel;
}
