// A scripted <video> for unit tests of the player's media logic (jsdom plays no media): tests
// fire the events a browser would, in the order it would. Seeks behave like the standard's: a
// seek sets `seeking` at once and, when finished, lands at the nearest seekable time.
import type { ReleasableVideo } from "../features/player/idle-release";

/** The source a FakeVideo starts with. */
export const FAKE_SRC = "http://reel.test/api/video/big.mp4";

/** A paused video at 12.5 s of 60 s, 20 s buffered, all of it seekable, rate 1.5. */
export class FakeVideo extends EventTarget implements ReleasableVideo {
  paused = true;
  seeking = false;
  duration = 60;
  readyState = 4;
  playbackRate = 1.5;
  networkState = 1;
  /** Seconds held: the first 20 s, as a browser that buffered ahead and stopped. */
  bufferedEnd = 20;
  /** Seconds a seek may reach: all of it, unless a test says otherwise. */
  seekableEnd = 60;
  readonly buffered = { length: 1, start: () => 0, end: () => this.bufferedEnd };
  readonly seekable = { length: 1, start: () => 0, end: () => this.seekableEnd };
  src: string | null = FAKE_SRC;
  loads = 0;
  frameCallbacks: Array<() => void> = [];
  #time = 12.5;

  get currentTime(): number {
    return this.#time;
  }
  set currentTime(seconds: number) {
    this.#time = seconds;
    this.seeking = true;
    this.fire("seeking");
  }

  play(): Promise<void> {
    if (this.paused) {
      this.paused = false;
      this.fire("play");
    }
    return Promise.resolve();
  }
  pause(): void {
    this.paused = true;
    this.fire("pause");
  }
  load(): void {
    this.loads += 1;
    this.readyState = 0;
    this.#time = 0;
    this.seeking = false;
    this.duration = Number.NaN;
    this.playbackRate = 1;
    this.bufferedEnd = 0;
    this.seekableEnd = 0;
    this.fire("emptied");
  }
  getAttribute(): string | null {
    return this.src;
  }
  setAttribute(_name: "src", value: string): void {
    this.src = value;
    this.load();
  }
  removeAttribute(): void {
    this.src = null;
  }
  requestVideoFrameCallback(callback: () => void): number {
    this.frameCallbacks.push(callback);
    return this.frameCallbacks.length;
  }

  /** What a browser does once a (re)loaded source's header is read. */
  loadMetadata(seekableEnd = 60): void {
    this.readyState = 1;
    this.duration = 60;
    this.seekableEnd = seekableEnd;
    this.fire("loadedmetadata");
  }
  /** The seek in flight finishes, at the nearest seekable time (HTML §4.8.11.9). */
  finishSeek(): void {
    this.#time = Math.min(Math.max(0, this.#time), this.seekableEnd);
    this.seeking = false;
    this.readyState = 4;
    this.fire("seeked");
  }
  /** The next frame is on screen. */
  paintFrame(): void {
    for (const callback of this.frameCallbacks.splice(0)) {
      callback();
    }
  }
  fire(type: string): void {
    this.dispatchEvent(new Event(type));
  }
}
