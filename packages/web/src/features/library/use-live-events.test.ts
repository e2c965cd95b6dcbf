import { renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { LibraryEvent } from "../../lib/reel";
import { createFakeClient, makeVideo } from "../../test/fake-client";
import { createMemoryLocks } from "../../test/memory-locks";
import { type TabSharing, useLiveEvents } from "./use-live-events";

const API = "http://reel.test";

/** Every hook rendered with it behaves as one tab of the same browser. */
function createBrowser(): TabSharing {
  return { locks: createMemoryLocks(), openChannel: (name) => new BroadcastChannel(name) };
}

describe("useLiveEvents", () => {
  it("opens one stream for several tabs and gives each tab the events and the status", async () => {
    const fake = createFakeClient();
    const watchVideos = vi.spyOn(fake.client, "watchVideos");
    const browser = createBrowser();
    const seen: LibraryEvent[][] = [[], [], []];
    const tabs = seen.map((events) =>
      renderHook(() => useLiveEvents(fake.client, (event) => events.push(event), API, browser)),
    );

    await waitFor(() =>
      expect(tabs.map((tab) => tab.result.current.status)).toEqual(["open", "open", "open"]),
    );
    expect(watchVideos).toHaveBeenCalledTimes(1);
    expect(tabs.map((tab) => tab.result.current.role).sort()).toEqual([
      "follower",
      "follower",
      "leader",
    ]);
    fake.emit({ event: "added", id: "b-1", data: makeVideo("new.mp4") });
    await waitFor(() => expect(seen.map((events) => events.length)).toEqual([1, 1, 1]));

    for (const tab of tabs) {
      tab.unmount();
    }
  });

  it("keeps live updates flowing when the tab holding the stream closes", async () => {
    const fake = createFakeClient();
    const watchVideos = vi.spyOn(fake.client, "watchVideos");
    const browser = createBrowser();
    const first: LibraryEvent[] = [];
    const second: LibraryEvent[] = [];
    const leader = renderHook(() => useLiveEvents(fake.client, (e) => first.push(e), API, browser));
    await waitFor(() => expect(leader.result.current.role).toBe("leader"));
    const follower = renderHook(() =>
      useLiveEvents(fake.client, (e) => second.push(e), API, browser),
    );
    await waitFor(() => expect(follower.result.current.status).toBe("open"));

    leader.unmount();
    await waitFor(() => expect(follower.result.current.role).toBe("leader"));
    expect(watchVideos).toHaveBeenCalledTimes(2);
    fake.emit({ event: "added", id: "b-2", data: makeVideo("later.mp4") });
    await waitFor(() => expect(second.map((event) => event.id)).toEqual(["b-2"]));
    follower.unmount();
  });

  it("lists again in every tab after the shared stream comes back from an outage", async () => {
    const fake = createFakeClient();
    const browser = createBrowser();
    const seen: LibraryEvent[][] = [[], []];
    const tabs = seen.map((events) =>
      renderHook(() => useLiveEvents(fake.client, (event) => events.push(event), API, browser)),
    );
    await waitFor(() =>
      expect(tabs.every((tab) => tab.result.current.status === "open")).toBe(true),
    );

    fake.setStatus("retrying");
    await waitFor(() =>
      expect(tabs.every((tab) => tab.result.current.status === "retrying")).toBe(true),
    );
    fake.setStatus("open");
    await waitFor(() =>
      expect(seen.map((events) => events.map((e) => e.event))).toEqual([["reset"], ["reset"]]),
    );
    for (const tab of tabs) {
      tab.unmount();
    }
  });

  it("opens its own stream where tabs cannot share one", async () => {
    const fake = createFakeClient();
    const watchVideos = vi.spyOn(fake.client, "watchVideos");
    const tabs = [0, 1].map(() =>
      renderHook(() => useLiveEvents(fake.client, () => undefined, API, null)),
    );
    await waitFor(() =>
      expect(tabs.map((tab) => tab.result.current)).toEqual([
        { status: "open", role: "solo" },
        { status: "open", role: "solo" },
      ]),
    );
    expect(watchVideos).toHaveBeenCalledTimes(2);
    for (const tab of tabs) {
      tab.unmount();
    }
  });
});
