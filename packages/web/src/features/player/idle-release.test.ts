// The release/restore rules against a scripted media element (jsdom plays no media): the test
// fires the events a browser would. That the connection really closes, and that the picture does
// not restart, is proven in real Chromium and Firefox by the e2e tabs suite.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FAKE_SRC, FakeVideo } from "../../test/fake-video";
import {
  type IdleRelease,
  manageIdleRelease,
  type ReleasePhase,
  type ReleaseSnapshot,
} from "./idle-release";

const SRC = FAKE_SRC;
const GRACE_MS = 3000;

class FakePage extends EventTarget {
  visibilityState: DocumentVisibilityState = "visible";
  show(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event("visibilitychange"));
  }
}

let video: FakeVideo;
let page: FakePage;
let phases: Array<[ReleasePhase, ReleaseSnapshot]>;
let idle: IdleRelease;

beforeEach(() => {
  vi.useFakeTimers();
  video = new FakeVideo();
  page = new FakePage();
  phases = [];
  idle = manageIdleRelease(video, page, {
    graceMs: GRACE_MS,
    onPhase: (phase, snapshot) => phases.push([phase, snapshot]),
  });
});

afterEach(() => {
  idle.dispose();
  vi.useRealTimers();
});

describe("manageIdleRelease", () => {
  describe("a paused video in a hidden tab", () => {
    it("keeps its source for the grace period, then detaches it and aborts the load", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS - 1);
      expect(video.src).toBe(SRC);
      expect(idle.phase()).toBe("attached");

      vi.advanceTimersByTime(1);
      expect(video.src).toBeNull();
      expect(video.loads).toBe(1);
      expect(phases).toEqual([["released", { time: 12.5, duration: 60, play: false }]]);
      expect(idle.currentTime()).toBe(12.5);
    });

    it("is reported before the source goes, while the frame can still be copied", () => {
      const sources: Array<string | null> = [];
      idle.dispose();
      idle = manageIdleRelease(video, page, {
        graceMs: GRACE_MS,
        onPhase: () => sources.push(video.src),
      });
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      expect(sources).toEqual([SRC]);
    });

    it("counts the grace period from the pause when it was hidden while playing", () => {
      video.paused = false;
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS * 2);
      expect(video.src).toBe(SRC);
      video.pause();
      vi.advanceTimersByTime(GRACE_MS);
      expect(video.src).toBeNull();
    });
  });

  it("keeps the source when the tab comes back or play starts within the grace period", () => {
    page.show("hidden");
    vi.advanceTimersByTime(GRACE_MS - 1);
    page.show("visible");
    vi.advanceTimersByTime(GRACE_MS);
    page.show("hidden");
    vi.advanceTimersByTime(GRACE_MS - 1);
    void video.play();
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(video.src).toBe(SRC);
    expect(phases).toEqual([]);
  });

  describe("keeps the source when there is nothing to give back or no way back", () => {
    it("a video whose header is not loaded yet", () => {
      video.readyState = 0;
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS * 2);
      expect(video.src).toBe(SRC);
    });

    it("a video held whole (the browser needs no connection for it)", () => {
      video.bufferedEnd = 60;
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS * 2);
      expect(video.src).toBe(SRC);
    });

    it("a video the browser can seek only in what it downloaded (it could not come back)", () => {
      video.seekableEnd = 20;
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS * 2);
      expect(video.src).toBe(SRC);
    });
  });

  describe("when the tab is shown again", () => {
    it("reattaches the source, seeks to the remembered time, and stays paused", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      page.show("visible");
      expect(video.src).toBe(SRC);
      expect(idle.phase()).toBe("restoring");
      expect(idle.currentTime()).toBe(12.5);

      video.loadMetadata();
      expect(video.currentTime).toBe(12.5);
      expect(video.playbackRate).toBe(1.5);
      video.finishSeek();
      // The cover stays until the frame at 12.5 s is on screen.
      expect(idle.phase()).toBe("restoring");
      video.paintFrame();
      expect(idle.phase()).toBe("attached");
      expect(video.paused).toBe(true);
      expect(phases.map(([phase]) => phase)).toEqual(["released", "restoring", "attached"]);
    });

    it("lifts the cover after a second even if no frame is reported", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      page.show("visible");
      video.loadMetadata();
      video.finishSeek();
      vi.advanceTimersByTime(999);
      expect(idle.phase()).toBe("restoring");
      vi.advanceTimersByTime(1);
      expect(idle.phase()).toBe("attached");
    });

    it("shows the element's error when the file is gone meanwhile", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      page.show("visible");
      video.fire("error");
      expect(idle.phase()).toBe("attached");
    });
  });

  describe("play pressed while released", () => {
    it("plays from the remembered time once it is back", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      idle.resume({ play: true });
      video.loadMetadata();
      expect(video.paused).toBe(true);
      video.finishSeek();
      expect(video.paused).toBe(false);
      expect(video.currentTime).toBe(12.5);
    });

    it("also from outside the player's controls (media keys call play() on the element)", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      void video.play();
      expect(idle.phase()).toBe("restoring");
      video.loadMetadata();
      video.finishSeek();
      video.paintFrame();
      expect(video.currentTime).toBe(12.5);
      expect(idle.phase()).toBe("attached");
    });
  });

  describe("when the restored source is seekable only as far as it has downloaded", () => {
    it("seeks again once the data has come", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      page.show("visible");
      video.networkState = 2;
      video.loadMetadata(0.14);
      video.finishSeek();
      expect(video.currentTime).toBe(0.14);
      video.fire("progress");
      expect(video.seeking).toBe(false);
      video.seekableEnd = 60;
      video.fire("progress");
      expect(video.currentTime).toBe(12.5);
      video.finishSeek();
      video.paintFrame();
      expect(idle.phase()).toBe("attached");
      expect(video.currentTime).toBe(12.5);
    });

    it("settles as near as it can once no more data comes", () => {
      page.show("hidden");
      vi.advanceTimersByTime(GRACE_MS);
      page.show("visible");
      video.loadMetadata(0.14);
      video.finishSeek();
      expect(idle.phase()).toBe("restoring");
      video.fire("suspend");
      video.paintFrame();
      expect(idle.phase()).toBe("attached");
      expect(video.currentTime).toBe(0.14);
    });
  });

  it("seeks to a time chosen while restoring instead of the remembered one", () => {
    page.show("hidden");
    vi.advanceTimersByTime(GRACE_MS);
    page.show("visible");
    idle.resume({ time: 40 });
    expect(idle.currentTime()).toBe(40);
    video.loadMetadata();
    expect(video.currentTime).toBe(40);
  });

  it("releases again when hidden again after a restore", () => {
    page.show("hidden");
    vi.advanceTimersByTime(GRACE_MS);
    page.show("visible");
    video.loadMetadata();
    video.finishSeek();
    video.paintFrame();
    page.show("hidden");
    vi.advanceTimersByTime(GRACE_MS);
    expect(video.src).toBeNull();
    expect(phases.map(([phase]) => phase)).toEqual([
      "released",
      "restoring",
      "attached",
      "released",
    ]);
  });
});
