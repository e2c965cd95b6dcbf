import { describe, expect, it, vi } from "vitest";
import { FakeVideo } from "../../test/fake-video";
import { seekMediaTo } from "./seek-to";

describe("seekMediaTo", () => {
  it("reports arrival once the seek has finished there", () => {
    const video = new FakeVideo();
    const arrived = vi.fn();
    seekMediaTo(video, 30, arrived);
    expect(video.currentTime).toBe(30);
    expect(arrived).not.toHaveBeenCalled();
    video.finishSeek();
    expect(arrived).toHaveBeenCalledTimes(1);
  });

  it("reports arrival at once where the element seeks instantly (no seek in flight)", () => {
    const element = Object.assign(new EventTarget(), {
      currentTime: 0,
      paused: true,
      seeking: false,
      networkState: 1,
      seekable: { length: 0, start: () => 0, end: () => 0 },
    });
    const arrived = vi.fn();
    seekMediaTo(element, 30, arrived);
    expect(element.currentTime).toBe(30);
    expect(arrived).toHaveBeenCalledTimes(1);
  });

  describe("when the time is past what the browser offers as seekable (Firefox, deep link)", () => {
    it("seeks again as the data comes in, and arrives there", () => {
      const video = new FakeVideo();
      video.networkState = 2;
      video.seekableEnd = 2;
      const arrived = vi.fn();
      seekMediaTo(video, 30, arrived);
      video.finishSeek();
      expect(video.currentTime).toBe(2);
      video.seekableEnd = 20;
      video.fire("progress");
      expect(video.seeking).toBe(false);
      video.seekableEnd = 60;
      video.fire("progress");
      expect(video.seeking).toBe(true);
      video.finishSeek();
      expect(video.currentTime).toBe(30);
      expect(arrived).toHaveBeenCalledTimes(1);
    });

    it("keeps waiting while the element plays, which brings the data", () => {
      const video = new FakeVideo();
      video.seekableEnd = 2;
      const arrived = vi.fn();
      seekMediaTo(video, 30, arrived);
      video.finishSeek();
      void video.play();
      video.fire("suspend");
      video.fire("timeupdate");
      expect(arrived).not.toHaveBeenCalled();
      video.seekableEnd = 60;
      video.fire("timeupdate");
      video.finishSeek();
      expect(video.currentTime).toBe(30);
      expect(arrived).toHaveBeenCalledTimes(1);
    });

    it("settles where it landed when no more data comes", () => {
      const video = new FakeVideo();
      video.seekableEnd = 2;
      const arrived = vi.fn();
      seekMediaTo(video, 30, arrived);
      video.finishSeek();
      expect(arrived).not.toHaveBeenCalled();
      video.fire("suspend");
      expect(arrived).toHaveBeenCalledTimes(1);
      expect(video.currentTime).toBe(2);
    });
  });

  it("does nothing more once cancelled", () => {
    const video = new FakeVideo();
    const arrived = vi.fn();
    const cancel = seekMediaTo(video, 30, arrived);
    cancel();
    video.finishSeek();
    expect(arrived).not.toHaveBeenCalled();
  });
});
