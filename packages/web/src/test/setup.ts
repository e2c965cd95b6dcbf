import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";

// Component tests run on a fake clock, so no assertion depends on how fast a busy machine is.
// The app's own timers (search debounce, retry delays) are faked; the event loop is not, so React's
// scheduler, act() and promises behave as usual. Testing Library's waitFor/findBy* switch to their
// fake-timer mode when they see Jest's fake timers (a `jest` global and a `setTimeout.clock`, which
// vitest's @sinonjs/fake-timers sets): each step then advances the clock by 50 ms inside act() and
// flushes React, so their 1 s budget is 1 s of app time, not of wall-clock time that a loaded CPU
// can use up before React has rendered (library.test.tsx timed out that way on a busy machine).
Object.assign(globalThis, {
  jest: { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) },
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.history.replaceState(null, "", "/");
});

// jsdom implements no media playback: give <video> the methods the player calls.
Object.defineProperty(HTMLMediaElement.prototype, "play", {
  configurable: true,
  value: vi.fn(function play(this: HTMLMediaElement) {
    return Promise.resolve();
  }),
});
Object.defineProperty(HTMLMediaElement.prototype, "pause", {
  configurable: true,
  value: vi.fn(),
});
Object.defineProperty(HTMLMediaElement.prototype, "load", {
  configurable: true,
  value: vi.fn(),
});

// jsdom has no VTTCue, and media-captions builds its cue class on the browser's (`extends
// window.VTTCue`) when it sees a `document`: give it the TextTrackCue fields it sets.
if (!("VTTCue" in window)) {
  class VTTCue extends EventTarget {
    id = "";
    pauseOnExit = false;
    constructor(
      public startTime: number,
      public endTime: number,
      public text: string,
    ) {
      super();
    }
  }
  Object.defineProperty(window, "VTTCue", { configurable: true, writable: true, value: VTTCue });
}
// jsdom answers "" to every canPlayType question: answer as Chromium on Linux does, which plays
// H.264, AAC, VP8/VP9, AV1 and Opus but not HEVC (lib/playability.ts asks per codec).
Object.defineProperty(HTMLMediaElement.prototype, "canPlayType", {
  configurable: true,
  value: vi.fn((type: string) => (/codecs="(hvc1|hev1)/i.test(type) ? "" : "probably")),
});
