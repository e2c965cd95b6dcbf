import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeClient, makeVideo } from "../../test/fake-client";
import { findVideo, loadMetadata } from "../../test/player-video";
import { renderApp } from "../../test/render-app";
import { setupUser } from "../../test/user";

const big = makeVideo("big_final.mp4", {
  size: 23_456_789,
  media: {
    durationSeconds: 60,
    width: 1280,
    height: 720,
    rotation: 0,
    videoCodec: "avc1.64001f",
    audioCodec: "mp4a.40.2",
    faststart: true,
  },
});
const late = makeVideo("late_moov.mp4", {
  modifiedAt: "2026-11-24T09:00:00.000Z",
  media: {
    durationSeconds: 6,
    width: 320,
    height: 180,
    rotation: 0,
    videoCodec: "avc1.64000d",
    audioCodec: null,
    faststart: false,
  },
});

afterEach(() => {
  vi.mocked(HTMLMediaElement.prototype.play).mockClear();
});

describe("Player", () => {
  it("opens a clicked video on the SDK's videoUrl and puts it in the URL", async () => {
    const user = setupUser();
    renderApp(createFakeClient([big, late]));
    await user.click(await screen.findByRole("button", { name: "Play big_final.mp4" }));

    const video = await findVideo("big_final.mp4");
    expect(video).toHaveAttribute("src", "http://reel.test/api/video/big_final.mp4");
    expect(window.location.search).toBe("?v=big_final.mp4");
    expect(screen.getByRole("heading", { name: "big_final.mp4" })).toBeInTheDocument();
    expect(screen.getByText("(23,456,789 bytes)")).toBeInTheDocument();
    expect(screen.getByText("1280×720")).toBeInTheDocument();
    expect(screen.getByText("avc1.64001f, mp4a.40.2")).toBeInTheDocument();
  });

  it("starts a deep link at its second and keeps the time in the URL", async () => {
    renderApp(createFakeClient([big]), "?v=big_final.mp4&t=30");
    const video = await findVideo("big_final.mp4");
    loadMetadata(video, 60);
    expect(video.currentTime).toBe(30);
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();

    video.currentTime = 41.6;
    fireEvent(video, new Event("timeupdate"));
    await waitFor(() => expect(window.location.search).toBe("?v=big_final.mp4&t=41"));
  });

  it("plays a deep link muted when the autoplay policy refuses sound, offering Unmute", async () => {
    const user = setupUser();
    const play = vi.mocked(HTMLMediaElement.prototype.play);
    play.mockImplementationOnce(() =>
      Promise.reject(new DOMException("no gesture", "NotAllowedError")),
    );
    renderApp(createFakeClient([big]), "?v=big_final.mp4&t=30");
    const video = await findVideo("big_final.mp4");
    loadMetadata(video, 60);

    await waitFor(() => expect(play).toHaveBeenCalledTimes(2));
    expect(video.muted).toBe(true);
    fireEvent(video, new Event("volumechange"));
    await user.click(screen.getByRole("button", { name: "Unmute" }));
    expect(video.muted).toBe(false);
  });

  it("moves between opened videos with Back and Forward", async () => {
    const user = setupUser();
    renderApp(createFakeClient([big, late]));
    await user.click(await screen.findByRole("button", { name: "Play big_final.mp4" }));
    await findVideo("big_final.mp4");
    await user.click(screen.getByRole("button", { name: "Play late_moov.mp4" }));
    await findVideo("late_moov.mp4");

    act(() => window.history.back());
    expect(await findVideo("big_final.mp4")).toBeInTheDocument();
    act(() => window.history.forward());
    expect(await findVideo("late_moov.mp4")).toBeInTheDocument();
  });

  it("says a missing video is not found and offers the way back", async () => {
    const user = setupUser();
    renderApp(createFakeClient([big]), "?v=nope.mp4");
    expect(await screen.findByRole("heading", { name: "Video not found" })).toBeInTheDocument();
    expect(screen.getByText("nope.mp4")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "← Back to library" }));
    expect(window.location.search).toBe("");
    expect(screen.getByText("Pick a video from the library to play it.")).toBeInTheDocument();
  });

  it("says the server is unreachable, naming the server tried, when a deep link cannot load", async () => {
    const fake = createFakeClient([big]);
    fake.failWith(new TypeError("Failed to fetch"));
    renderApp(fake, "?v=big_final.mp4");
    const player = await screen.findByRole("region", { name: "Player" });
    await waitFor(() => expect(player).toHaveTextContent("Can't reach the Reel server"));
    // The base URL the player talks to, not a route path rebuilt from the stream URL.
    expect(player.querySelector("code")?.textContent).toBe("http://reel.test");
  });

  it("shows the media error instead of a frozen player when the browser cannot decode", async () => {
    renderApp(createFakeClient([big]), "?v=big_final.mp4");
    const video = await findVideo("big_final.mp4");
    Object.defineProperty(video, "error", {
      configurable: true,
      value: { code: 4, message: "DEMUXER_ERROR_COULD_NOT_OPEN" },
    });
    fireEvent(video, new Event("error"));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This video can't be played");
    expect(alert).toHaveTextContent("MEDIA_ERR_SRC_NOT_SUPPORTED (4)");
    expect(alert).toHaveTextContent("DEMUXER_ERROR_COULD_NOT_OPEN");
    expect(video).not.toBeVisible();
    expect(screen.getByRole("button", { name: "Play" })).toBeDisabled();
  });

  it("says in words that this browser cannot play an HEVC file, keeping the download", async () => {
    const hevc = makeVideo("phone.mp4", {
      media: {
        durationSeconds: 12,
        width: 360,
        height: 640,
        rotation: 90,
        videoCodec: "hvc1.1.6.L93.B0",
        audioCodec: "mp4a.40.2",
        faststart: true,
      },
    });
    renderApp(createFakeClient([hevc]), "?v=phone.mp4");
    const player = await screen.findByRole("region", { name: "Player" });
    const alert = await within(player).findByRole("alert");
    expect(alert).toHaveTextContent(
      "This browser cannot play HEVC video; download it or open it in a player that can",
    );
    expect(alert).not.toHaveTextContent("MEDIA_ERR");
    expect(screen.queryByLabelText("Video: phone.mp4")).not.toBeInTheDocument();
    expect(within(player).getByRole("button", { name: /download/i })).toBeEnabled();

    const user = setupUser();
    await user.click(within(player).getByRole("button", { name: "Try to play anyway" }));
    expect(await findVideo("phone.mp4")).toBeInTheDocument();
  });

  it("keeps a video that was removed while watching, saying it was removed", async () => {
    const fake = createFakeClient([big, late]);
    renderApp(fake, "?v=big_final.mp4");
    await findVideo("big_final.mp4");

    act(() => fake.emit({ event: "removed", id: "5", data: { filename: "big_final.mp4" } }));
    expect(screen.getByRole("alert")).toHaveTextContent("removed from the library");
    expect(await findVideo("big_final.mp4")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Play big_final.mp4" })).not.toBeInTheDocument();

    act(() => fake.emit({ event: "added", id: "6", data: late }));
    expect(screen.getByRole("alert")).toHaveTextContent("removed from the library");
  });

  it("shows the non-faststart badge and its fix beside an open late-moov video", async () => {
    renderApp(createFakeClient([late]), "?v=late_moov.mp4");
    await findVideo("late_moov.mp4");
    expect(screen.getAllByText("slow start: moov at end")).toHaveLength(2);
  });

  it("draws the buffered ranges and the playhead", async () => {
    renderApp(createFakeClient([big]), "?v=big_final.mp4");
    const video = await findVideo("big_final.mp4");
    loadMetadata(video, 60);
    Object.defineProperty(video, "buffered", {
      configurable: true,
      value: { length: 2, start: (i: number) => [0, 42][i], end: (i: number) => [12, 48][i] },
    });
    video.currentTime = 6;
    fireEvent(video, new Event("progress"));

    const bar = screen.getByRole("img", { name: "Buffered 0:00–0:12, 0:42–0:48" });
    const spans = bar.querySelectorAll<HTMLElement>(".buffer-span");
    expect([...spans].map((span) => [span.style.left, span.style.width])).toEqual([
      ["0%", "20%"],
      ["70%", "10%"],
    ]);
    expect(bar.querySelector<HTMLElement>(".playhead")?.style.left).toBe("10%");
  });

  describe("keyboard", () => {
    it("plays with space, seeks ±5 s with the arrows and goes fullscreen with f", async () => {
      const user = setupUser();
      const requestFullscreen = vi.fn(() => Promise.resolve());
      HTMLElement.prototype.requestFullscreen = requestFullscreen;
      renderApp(createFakeClient([big]), "?v=big_final.mp4");
      const video = await findVideo("big_final.mp4");
      loadMetadata(video, 60);
      vi.mocked(HTMLMediaElement.prototype.play).mockClear();

      await user.keyboard(" ");
      expect(HTMLMediaElement.prototype.play).toHaveBeenCalledTimes(1);
      await user.keyboard("{ArrowRight}{ArrowRight}");
      expect(video.currentTime).toBe(10);
      await user.keyboard("{ArrowLeft}");
      expect(video.currentTime).toBe(5);
      await user.keyboard("f");
      expect(requestFullscreen).toHaveBeenCalledTimes(1);
    });

    it("leaves keys alone while typing in the search box", async () => {
      const user = setupUser();
      renderApp(createFakeClient([big]), "?v=big_final.mp4");
      const video = await findVideo("big_final.mp4");
      loadMetadata(video, 60);
      vi.mocked(HTMLMediaElement.prototype.play).mockClear();

      await user.type(screen.getByRole("searchbox", { name: "Search videos" }), "f {ArrowRight}");
      expect(HTMLMediaElement.prototype.play).not.toHaveBeenCalled();
      expect(video.currentTime).toBe(0);
    });
  });

  it("plays from the Play button and seeks from the slider", async () => {
    const user = setupUser();
    renderApp(createFakeClient([big]), "?v=big_final.mp4");
    const video = await findVideo("big_final.mp4");
    loadMetadata(video, 60);
    vi.mocked(HTMLMediaElement.prototype.play).mockClear();

    await user.click(screen.getByRole("button", { name: "Play" }));
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalledTimes(1);
    fireEvent.change(screen.getByRole("slider", { name: "Seek" }), { target: { value: "42" } });
    expect(video.currentTime).toBe(42);
  });

  it("names every control", async () => {
    renderApp(createFakeClient([big]), "?v=big_final.mp4");
    await findVideo("big_final.mp4");
    for (const button of screen.getAllByRole("button")) {
      expect(button).toHaveAccessibleName();
    }
    expect(screen.getByRole("slider", { name: "Seek" })).toBeInTheDocument();
  });
});
