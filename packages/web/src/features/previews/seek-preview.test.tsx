import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFakeClient, makeVideo } from "../../test/fake-client";
import { findVideo, loadMetadata } from "../../test/player-video";
import { renderApp } from "../../test/render-app";
import { setupUser } from "../../test/user";
import { KEYBOARD_PREVIEW_MS } from "../player/video-view";
import { frameStyle } from "./seek-preview";

const TRACK = "http://reel.test/api/videos/clip.mp4/previews.vtt";
const COLUMNS = 5;
const ROWS = 5;

/** 60 s in 2 s cues on 5×5 sheets of 160×90 frames, as the server renders them. */
function thumbnailsTrack(): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const stamp = (seconds: number) => `00:${two(Math.floor(seconds / 60))}:${two(seconds % 60)}.000`;
  const cues = Array.from({ length: 30 }, (_, i) => {
    const sheet = Math.floor(i / (COLUMNS * ROWS));
    const x = (i % COLUMNS) * 160;
    const y = Math.floor((i % (COLUMNS * ROWS)) / COLUMNS) * 90;
    return `${stamp(i * 2)} --> ${stamp(i * 2 + 2)}\n/api/videos/clip.mp4/previews/${sheet}.jpg#xywh=${x},${y},160,90`;
  });
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

const clip = makeVideo("clip.mp4", {
  media: {
    durationSeconds: 60,
    width: 1280,
    height: 720,
    rotation: 0,
    videoCodec: "avc1.64001f",
    audioCodec: null,
    faststart: true,
  },
  previews: "/api/videos/clip.mp4/previews.vtt",
});

const fetchMock = vi.fn(async (url: string | URL | Request) =>
  String(url) === TRACK ? new Response(thumbnailsTrack()) : new Response("", { status: 404 }),
);

beforeEach(() => {
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  fetchMock.mockClear();
});

/** The seek bar, laid out 400 px wide from x = 100 (jsdom lays out nothing). */
function layOutSeekBar(): HTMLElement {
  const seek = screen.getByRole("slider", { name: "Seek" }).parentElement;
  if (!seek) {
    throw new Error("no seek bar");
  }
  seek.getBoundingClientRect = () => new DOMRect(100, 500, 400, 24);
  return seek;
}

async function openClip(video = clip): Promise<HTMLElement> {
  renderApp(createFakeClient([video]), `?v=${video.filename}`);
  loadMetadata(await findVideo(video.filename), 60);
  return layOutSeekBar();
}

function preview(): HTMLElement {
  return screen.getByTestId("seek-preview");
}

describe("the seek bar's preview", () => {
  it.each([
    [200, "15.000", "0:15", "/api/videos/clip.mp4/previews/0.jpg", "320,90,160,90"],
    [300, "30.000", "0:30", "/api/videos/clip.mp4/previews/0.jpg", "0,270,160,90"],
    [400, "45.000", "0:45", "/api/videos/clip.mp4/previews/0.jpg", "320,360,160,90"],
    [500, "60.000", "1:00", "/api/videos/clip.mp4/previews/1.jpg", "640,0,160,90"],
  ])(
    "with the pointer at x = %s shows the frame covering %s s and the time",
    async (x, time, text, sheet, xywh) => {
      const seek = await openClip();
      await waitFor(() => expect(fetchMock).toHaveBeenCalledWith(TRACK, expect.anything()));
      fireEvent.pointerMove(seek, { clientX: x, pointerType: "mouse" });
      await waitFor(() => expect(preview()).toHaveAttribute("data-xywh", xywh));
      expect(preview()).toHaveAttribute("data-time", time);
      expect(preview()).toHaveAttribute("data-source", "pointer");
      expect(preview()).toHaveAttribute("data-preview-url", `http://reel.test${sheet}`);
      expect(preview()).toHaveTextContent(text);
      const frame = preview().querySelector<HTMLElement>(".seek-preview-frame");
      const [fx = 0, fy = 0] = xywh.split(",").map(Number);
      expect(frame?.style.backgroundImage).toBe(`url("http://reel.test${sheet}")`);
      expect(frame?.style.backgroundPosition).toBe(`${-fx}px ${-fy}px`);
      expect(frame?.style.width).toBe("160px");
      expect(frame?.style.height).toBe("90px");
    },
  );

  it("goes away when the pointer leaves the bar", async () => {
    const seek = await openClip();
    fireEvent.pointerMove(seek, { clientX: 200, pointerType: "mouse" });
    expect(preview()).toBeInTheDocument();
    fireEvent.pointerLeave(seek, { pointerType: "mouse" });
    expect(screen.queryByTestId("seek-preview")).not.toBeInTheDocument();
  });

  it("follows a finger while it is down and goes when it lifts", async () => {
    const seek = await openClip();
    fireEvent.pointerDown(seek, { clientX: 150, pointerType: "touch" });
    expect(preview()).toHaveAttribute("data-time", "7.500");
    fireEvent.pointerMove(seek, { clientX: 350, pointerType: "touch" });
    expect(preview()).toHaveAttribute("data-time", "37.500");
    fireEvent.pointerUp(seek, { clientX: 350, pointerType: "touch" });
    expect(screen.queryByTestId("seek-preview")).not.toBeInTheDocument();
  });

  it("shows the new time for a moment after a keyboard seek", async () => {
    const user = setupUser();
    await openClip();
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    await user.keyboard("{ArrowRight}{ArrowRight}");
    await waitFor(() => expect(preview()).toHaveAttribute("data-xywh", "0,90,160,90"));
    expect(preview()).toHaveAttribute("data-time", "10.000");
    expect(preview()).toHaveAttribute("data-source", "keyboard");
    expect(preview()).toHaveTextContent("0:10");
    act(() => vi.advanceTimersByTime(KEYBOARD_PREVIEW_MS));
    expect(screen.queryByTestId("seek-preview")).not.toBeInTheDocument();
  });

  it("also after keys that move the slider itself (End)", async () => {
    await openClip();
    // What a browser does for End on a focused slider (user-event does not move range inputs).
    const slider = screen.getByRole("slider", { name: "Seek" });
    fireEvent.keyDown(slider, { key: "End" });
    fireEvent.change(slider, { target: { value: "60" } });
    fireEvent.keyUp(slider, { key: "End" });
    expect(preview()).toHaveAttribute("data-source", "keyboard");
    expect(preview()).toHaveAttribute("data-time", "60.000");
  });

  it("shows the time alone while the video has no previews", async () => {
    const seek = await openClip({ ...clip, previews: null });
    fireEvent.pointerMove(seek, { clientX: 400, pointerType: "mouse" });
    expect(preview()).toHaveTextContent("0:45");
    expect(preview()).not.toHaveAttribute("data-xywh");
    expect(preview().querySelector(".seek-preview-frame")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the time alone when the track cannot be fetched", async () => {
    const seek = await openClip({ ...clip, previews: "/api/videos/clip.mp4/gone.vtt" });
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    await act(async () => {});
    fireEvent.pointerMove(seek, { clientX: 400, pointerType: "mouse" });
    expect(preview()).toHaveTextContent("0:45");
    expect(preview()).not.toHaveAttribute("data-preview-url");
  });
});

describe("frameStyle", () => {
  it("shifts the sheet so only the cue's region shows, at the region's size", () => {
    expect(
      frameStyle({
        start: 0,
        end: 2,
        url: "http://a/0.jpg",
        region: { x: 320, y: 90, w: 160, h: 90 },
      }),
    ).toEqual({
      width: 160,
      height: 90,
      backgroundImage: 'url("http://a/0.jpg")',
      backgroundPosition: "-320px -90px",
      backgroundRepeat: "no-repeat",
    });
  });

  it("fits a whole image (no region) into a 16:9 box", () => {
    expect(frameStyle({ start: 0, end: 2, url: "http://a/f.jpg", region: null })).toEqual({
      width: 160,
      height: 90,
      backgroundImage: 'url("http://a/f.jpg")',
      backgroundSize: "cover",
      backgroundPosition: "center",
    });
  });

  it("quotes a URL that would end a CSS url() early", () => {
    const style = frameStyle({ start: 0, end: 2, url: 'http://a/x").jpg', region: null });
    expect(style.backgroundImage).toBe('url("http://a/x\\").jpg")');
  });
});
