import { act, renderHook, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { VideoInfo } from "../../lib/reel";
import { createFakeClient, makeVideo } from "../../test/fake-client";
import { findVideo } from "../../test/player-video";
import { renderApp } from "../../test/render-app";
import { setupUser } from "../../test/user";
import { SUBTITLES_KEY } from "./subtitle-choice";
import { useTrackSource } from "./use-track-source";

const english = { lang: "en", label: "English", url: "/api/videos/a.mp4/subtitles/en.vtt" };
const french = { lang: "fr", label: "Français", url: "/api/videos/a.mp4/subtitles/fr.vtt" };
const withBoth = makeVideo("a.mp4", { subtitles: [english, french] });
const frenchOnly = makeVideo("b.mp4", {
  subtitles: [{ lang: "fr-FR", label: "Français", url: "/api/videos/b.mp4/subtitles/fr-FR.vtt" }],
});

const VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello\n";
const fetchMock = vi.fn(async (_url: string | URL | Request) => new Response(VTT));
let blobs = 0;

beforeEach(() => {
  window.localStorage.clear();
  blobs = 0;
  vi.stubGlobal("fetch", fetchMock);
  // jsdom has no blob: URLs.
  URL.createObjectURL = vi.fn(() => {
    blobs += 1;
    return `blob:http://localhost:3000/track-${blobs}`;
  });
  URL.revokeObjectURL = vi.fn();
});

afterEach(() => {
  vi.unstubAllGlobals();
  fetchMock.mockClear();
  window.localStorage.clear();
});

async function open(video: VideoInfo): Promise<HTMLVideoElement> {
  const library = [withBoth, frenchOnly];
  renderApp(
    createFakeClient(library.includes(video) ? library : [...library, video]),
    `?v=${video.filename}`,
  );
  return findVideo(video.filename);
}

function menuItems(): HTMLElement[] {
  return within(screen.getByRole("menu", { name: "Subtitles" })).getAllByRole("menuitemradio");
}

describe("the CC control", () => {
  it("lists Off and every track, Off checked at first, and shows no track", async () => {
    const user = setupUser();
    const video = await open(withBoth);
    const button = screen.getByRole("button", { name: "Subtitles" });
    expect(button).toHaveAttribute("aria-expanded", "false");
    await user.click(button);
    expect(button).toHaveAttribute("aria-expanded", "true");
    expect(
      menuItems().map((item) => [item.textContent, item.getAttribute("aria-checked")]),
    ).toEqual([
      ["Off", "true"],
      ["English", "false"],
      ["Français", "false"],
    ]);
    expect(video.querySelector("track")).toBeNull();
  });

  it("adds the chosen track to the video and remembers its language", async () => {
    const user = setupUser();
    const video = await open(withBoth);
    await user.click(screen.getByRole("button", { name: "Subtitles" }));
    await user.click(screen.getByRole("menuitemradio", { name: "English" }));

    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    await waitFor(() => expect(video.querySelector("track")).not.toBeNull());
    const track = video.querySelector("track");
    expect(track).toHaveAttribute("kind", "subtitles");
    expect(track).toHaveAttribute("srclang", "en");
    expect(track).toHaveAttribute("label", "English");
    // The fake API is on another origin than the page: fetched with CORS, handed over as blob:.
    expect(fetchMock).toHaveBeenCalledWith(
      "http://reel.test/api/videos/a.mp4/subtitles/en.vtt",
      expect.anything(),
    );
    expect(track).toHaveAttribute("src", "blob:http://localhost:3000/track-1");
    expect(window.localStorage.getItem(SUBTITLES_KEY)).toBe("en");
    expect(screen.getByRole("button", { name: "Subtitles" })).toHaveAttribute(
      "data-active-lang",
      "en",
    );
  });

  it("turns subtitles off again and remembers that", async () => {
    const user = setupUser();
    window.localStorage.setItem(SUBTITLES_KEY, "fr");
    const video = await open(withBoth);
    await waitFor(() => expect(video.querySelector("track")).toHaveAttribute("srclang", "fr"));
    await user.click(screen.getByRole("button", { name: "Subtitles" }));
    await user.click(screen.getByRole("menuitemradio", { name: "Off" }));
    expect(video.querySelector("track")).toBeNull();
    expect(window.localStorage.getItem(SUBTITLES_KEY)).toBe("off");
    expect(URL.revokeObjectURL).toHaveBeenCalledWith("blob:http://localhost:3000/track-1");
  });

  it("shows the remembered language on another video that has it", async () => {
    const user = setupUser();
    window.localStorage.setItem(SUBTITLES_KEY, "fr");
    const video = await open(frenchOnly);
    await waitFor(() => expect(video.querySelector("track")).toHaveAttribute("srclang", "fr-FR"));
    await user.click(screen.getByRole("button", { name: "Subtitles" }));
    expect(screen.getByRole("menuitemradio", { name: "Français" })).toHaveAttribute(
      "aria-checked",
      "true",
    );
  });

  it("works from the keyboard: Enter opens, arrows move, Enter chooses, Escape closes", async () => {
    const user = setupUser();
    const video = await open(withBoth);
    const button = screen.getByRole("button", { name: "Subtitles" });
    button.focus();
    await user.keyboard("{Enter}");
    expect(menuItems()[0]).toHaveFocus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(menuItems()[2]).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(menuItems()[0]).toHaveFocus();
    await user.keyboard("{End}{Enter}");
    await waitFor(() => expect(video.querySelector("track")).toHaveAttribute("srclang", "fr"));
    expect(button).toHaveFocus();

    await user.keyboard("{Enter}");
    expect(screen.getByRole("menuitemradio", { name: "Français" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(video.querySelector("track")).toHaveAttribute("srclang", "fr");
  });

  it("closes when clicking elsewhere", async () => {
    const user = setupUser();
    await open(withBoth);
    await user.click(screen.getByRole("button", { name: "Subtitles" }));
    await user.click(screen.getByRole("heading", { name: "a.mp4" }));
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
  });

  it("is not there for a video without subtitles", async () => {
    await open(makeVideo("none.mp4"));
    expect(screen.queryByRole("button", { name: "Subtitles" })).not.toBeInTheDocument();
  });
});

describe("useTrackSource", () => {
  it("uses a same-origin track as it is", () => {
    const url = `${window.location.origin}/api/videos/a.mp4/subtitles/en.vtt`;
    const { result } = renderHook(() => useTrackSource(url));
    expect(result.current).toBe(url);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("hands over a cross-origin track as a blob: URL once fetched", async () => {
    const { result, unmount } = renderHook(() =>
      useTrackSource("http://reel.test/api/videos/a.mp4/subtitles/en.vtt"),
    );
    expect(result.current).toBeNull();
    await act(async () => {});
    await waitFor(() => expect(result.current).toBe("blob:http://localhost:3000/track-1"));
    unmount();
    expect(URL.revokeObjectURL).toHaveBeenCalledWith("blob:http://localhost:3000/track-1");
  });
});
