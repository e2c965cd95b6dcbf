import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { readDeepLink, useDeepLink, writeDeepLink } from "./deep-link";

describe("readDeepLink", () => {
  it("reads the video and the start second", () => {
    expect(readDeepLink("?v=big%20one.mp4&t=30")).toEqual({ video: "big one.mp4", time: 30 });
  });

  it("starts from the beginning when t is missing, negative or not a number", () => {
    expect(readDeepLink("?v=a.mp4").time).toBeNull();
    expect(readDeepLink("?v=a.mp4&t=-4").time).toBeNull();
    expect(readDeepLink("?v=a.mp4&t=abc").time).toBeNull();
  });

  it("has no video without v", () => {
    expect(readDeepLink("").video).toBeNull();
  });
});

describe("writeDeepLink", () => {
  it("round-trips a name with spaces and accents", () => {
    const search = writeDeepLink({ video: "café clip.mp4", time: 12.7 });
    expect(readDeepLink(search)).toEqual({ video: "café clip.mp4", time: 12 });
  });
});

describe("useDeepLink", () => {
  it("pushes one history entry per opened video and returns to it on Back", async () => {
    const { result } = renderHook(() => useDeepLink());
    act(() => result.current.open("a.mp4"));
    act(() => result.current.recordTime(42));
    act(() => result.current.open("b.mp4"));
    expect(window.location.search).toBe("?v=b.mp4");

    const popped = new Promise((resolve) =>
      window.addEventListener("popstate", resolve, { once: true }),
    );
    act(() => window.history.back());
    await act(async () => {
      // jsdom traverses history, then fires popstate, in timer tasks: run them on the fake clock.
      await vi.runAllTimersAsync();
      await popped;
    });
    expect(result.current.link).toEqual({ video: "a.mp4", time: 42 });
  });
});
