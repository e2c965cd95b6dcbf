import { act, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeClient, makeVideo } from "../../test/fake-client";
import { installFakeViewport } from "../../test/fake-viewport";
import { renderApp } from "../../test/render-app";
import { setupUser } from "../../test/user";
import { FASTSTART_FIX } from "./faststart-badge";

function rowNames(): string[] {
  const list = screen.getByRole("list");
  return within(list)
    .getAllByRole("button", { name: /^Play / })
    .map((button) => button.getAttribute("aria-label")?.replace("Play ", "") ?? "");
}

const big = makeVideo("big_final.mp4", {
  size: 23_456_789,
  modifiedAt: "2026-11-24T12:00:00.000Z",
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
  size: 80_000,
  modifiedAt: "2026-11-24T11:00:00.000Z",
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
const cafe = makeVideo("café clip.mp4", { size: 400_000, modifiedAt: "2026-11-24T10:00:00.000Z" });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Library", () => {
  describe("when the server lists videos", () => {
    it("shows each video's name, duration, resolution, size and date", async () => {
      renderApp(createFakeClient([big, late, cafe]));
      const row = await screen.findByRole("button", { name: "Play big_final.mp4" });
      expect(row).toHaveTextContent("big_final.mp4");
      expect(row).toHaveTextContent("1:00 · 1280×720 · 23.5 MB");
      expect(row.querySelector("time")).toHaveAttribute("dateTime", "2026-11-24T12:00:00.000Z");
      expect(screen.getByText("3 videos")).toBeInTheDocument();
    });

    it("lists the newest first by default", async () => {
      renderApp(createFakeClient([cafe, late, big]));
      await screen.findByRole("button", { name: "Play big_final.mp4" });
      expect(rowNames()).toEqual(["big_final.mp4", "late_moov.mp4", "café clip.mp4"]);
    });

    it("marks a file with an unreadable header instead of hiding it", async () => {
      renderApp(createFakeClient([makeVideo("broken.mp4", { media: null, size: 1234 })]));
      const row = await screen.findByRole("button", { name: "Play broken.mp4" });
      expect(row).toHaveTextContent("unreadable header · 1.2 KB");
    });
  });

  describe("the cannot-play warning", () => {
    it("says in words on the row that this browser cannot play an HEVC file", async () => {
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
      renderApp(createFakeClient([big, hevc]));
      await screen.findByRole("button", { name: "Play phone.mp4" });
      const warnings = screen.getAllByText(/This browser cannot play/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toHaveTextContent(
        "This browser cannot play HEVC video; download it or open it in a player that can",
      );
      expect(warnings[0]?.closest("li")).toHaveTextContent("phone.mp4");
    });
  });

  describe("the faststart badge", () => {
    it("appears only on files whose moov is at the end, with the ffmpeg fix", async () => {
      renderApp(createFakeClient([big, late]));
      await screen.findByRole("button", { name: "Play late_moov.mp4" });
      const badges = screen.getAllByText("slow start: moov at end");
      expect(badges).toHaveLength(1);
      const lateRow = badges[0]?.closest("li");
      expect(lateRow).toHaveTextContent("late_moov.mp4");
      expect(lateRow).toHaveTextContent(FASTSTART_FIX);
      expect(FASTSTART_FIX).toContain("-movflags +faststart");
    });
  });

  describe("search", () => {
    it("asks the server with q once typing pauses, not on every key", async () => {
      const user = setupUser();
      const fake = createFakeClient([big, late, cafe]);
      renderApp(fake);
      await screen.findByRole("button", { name: "Play big_final.mp4" });
      fake.listVideos.mockClear();

      await user.type(screen.getByRole("searchbox", { name: "Search videos" }), "CAFÉ");
      await waitFor(() => expect(rowNames()).toEqual(["café clip.mp4"]));
      expect(fake.listVideos).toHaveBeenCalledTimes(1);
      expect(fake.listVideos.mock.calls[0]?.[0]).toMatchObject({ q: "CAFÉ" });
    });

    it("says so when nothing matches", async () => {
      const user = setupUser();
      renderApp(createFakeClient([big]));
      await screen.findByRole("button", { name: "Play big_final.mp4" });
      await user.type(screen.getByRole("searchbox", { name: "Search videos" }), "zzz");
      expect(await screen.findByText("No videos match “zzz”.")).toBeInTheDocument();
    });
  });

  describe("sorting", () => {
    it.each([
      [
        "Name A–Z",
        { sort: "name", order: "asc" },
        ["big_final.mp4", "café clip.mp4", "late_moov.mp4"],
      ],
      [
        "Largest first",
        { sort: "size", order: "desc" },
        ["big_final.mp4", "café clip.mp4", "late_moov.mp4"],
      ],
      [
        "Smallest first",
        { sort: "size", order: "asc" },
        ["late_moov.mp4", "café clip.mp4", "big_final.mp4"],
      ],
      [
        "Oldest first",
        { sort: "modified", order: "asc" },
        ["café clip.mp4", "late_moov.mp4", "big_final.mp4"],
      ],
    ])("sorts by %s through the SDK", async (label, expectedQuery, expectedOrder) => {
      const user = setupUser();
      const fake = createFakeClient([big, late, cafe]);
      renderApp(fake);
      await screen.findByRole("button", { name: "Play big_final.mp4" });
      await user.selectOptions(screen.getByRole("combobox", { name: "Sort videos" }), label);
      await waitFor(() => expect(rowNames()).toEqual(expectedOrder));
      expect(fake.listVideos).toHaveBeenLastCalledWith(
        expect.objectContaining(expectedQuery),
        expect.anything(),
      );
    });
  });

  describe("with more videos than one page", () => {
    const many = Array.from({ length: 120 }, (_, index) =>
      makeVideo(`clip-${String(index).padStart(3, "0")}.mp4`, {
        modifiedAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
      }),
    );

    it("loads the next page when the end of the list scrolls into view", async () => {
      const viewport = installFakeViewport({ rowsInView: 20 });
      const fake = createFakeClient(many);
      renderApp(fake);
      expect(await screen.findByText("Showing 50 of 120 videos")).toBeInTheDocument();

      act(() => viewport.scrollTo(50));
      expect(await screen.findByText("Showing 100 of 120 videos")).toBeInTheDocument();
      expect(fake.listVideos).toHaveBeenLastCalledWith(
        expect.objectContaining({ cursor: "50", limit: 50 }),
        expect.anything(),
      );
      expect(new Set(rowNames()).size).toBe(100);
    });

    it("keeps loading while the end of the list stays in view (a tall window)", async () => {
      installFakeViewport({ rowsInView: 500 });
      const fake = createFakeClient(many);
      renderApp(fake);
      expect(await screen.findByText("120 videos")).toBeInTheDocument();
      expect(fake.listVideos).toHaveBeenCalledTimes(3);
      expect(new Set(rowNames()).size).toBe(120);
    });

    it("does not lose the end of the list coming into view while a page is loading", async () => {
      const user = setupUser();
      const viewport = installFakeViewport({ rowsInView: 20 });
      const fake = createFakeClient(many);
      renderApp(fake);
      await screen.findByText("Showing 50 of 120 videos");
      const release = fake.holdListing();
      await user.click(screen.getByRole("button", { name: "Load more videos" }));
      expect(screen.getByRole("button", { name: "Loading more…" })).toBeDisabled();

      // A long scroll while that page is on its way: the end is still in view once it arrives.
      act(() => viewport.scrollTo(100));
      await act(async () => release());
      expect(await screen.findByText("120 videos")).toBeInTheDocument();
      expect(fake.listVideos).toHaveBeenCalledTimes(3);
    });

    it("also loads further pages from a button, until everything is listed", async () => {
      const user = setupUser();
      renderApp(createFakeClient(many));
      await screen.findByText("Showing 50 of 120 videos");
      await user.click(screen.getByRole("button", { name: "Load more videos" }));
      await screen.findByText("Showing 100 of 120 videos");
      await user.click(screen.getByRole("button", { name: "Load more videos" }));
      expect(await screen.findByText("120 videos")).toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Load more videos" })).not.toBeInTheDocument();
    });
  });

  describe("when the library is empty", () => {
    it("explains how to add videos", async () => {
      renderApp(createFakeClient([]));
      expect(await screen.findByRole("heading", { name: "No videos yet" })).toBeInTheDocument();
      expect(screen.getAllByText(/VIDEO_DIR/).length).toBeGreaterThan(0);
    });
  });

  describe("when the server is unreachable", () => {
    it("shows the server it tried and lists again by itself once the server answers", async () => {
      const fake = createFakeClient([big]);
      fake.failWith(new TypeError("Failed to fetch"));
      renderApp(fake);

      const alert = await screen.findByRole("alert");
      expect(alert).toHaveTextContent("Can't reach the Reel server");
      // The base URL the player talks to, not a route path rebuilt from it.
      expect(alert.querySelector("code")?.textContent).toBe("http://reel.test");
      expect(alert).toHaveTextContent("Retrying");

      fake.failWith(null);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(3100);
      });
      expect(await screen.findByRole("button", { name: "Play big_final.mp4" })).toBeInTheDocument();
      expect(screen.queryByText("Can't reach the Reel server")).not.toBeInTheDocument();
    });
  });

  describe("live updates", () => {
    it("adds, updates and removes videos in place as events arrive", async () => {
      const fake = createFakeClient([late, cafe]);
      renderApp(fake);
      await screen.findByRole("button", { name: "Play late_moov.mp4" });

      act(() => fake.emit({ event: "added", id: "1", data: big }));
      expect(rowNames()).toEqual(["big_final.mp4", "late_moov.mp4", "café clip.mp4"]);
      expect(screen.getByText("3 videos")).toBeInTheDocument();

      const fixed = {
        ...late,
        size: 90_000,
        media: late.media && { ...late.media, faststart: true },
      };
      act(() => fake.emit({ event: "changed", id: "2", data: fixed }));
      expect(screen.getByRole("button", { name: "Play late_moov.mp4" })).toHaveTextContent(
        "90.0 KB",
      );
      expect(screen.queryByText("slow start: moov at end")).not.toBeInTheDocument();

      act(() => fake.emit({ event: "removed", id: "3", data: { filename: "café clip.mp4" } }));
      expect(rowNames()).toEqual(["big_final.mp4", "late_moov.mp4"]);
      expect(screen.getByText("2 videos")).toBeInTheDocument();
    });

    it("ignores an added video that does not match the search", async () => {
      const user = setupUser();
      const fake = createFakeClient([late]);
      renderApp(fake);
      await screen.findByRole("button", { name: "Play late_moov.mp4" });
      await user.type(screen.getByRole("searchbox", { name: "Search videos" }), "late");
      await waitFor(() => expect(fake.listVideos).toHaveBeenCalledTimes(2));

      act(() => fake.emit({ event: "added", id: "1", data: big }));
      expect(rowNames()).toEqual(["late_moov.mp4"]);
    });

    it("lists again on a reset event", async () => {
      const fake = createFakeClient([late]);
      renderApp(fake);
      await screen.findByRole("button", { name: "Play late_moov.mp4" });
      fake.videos = [late, big];
      act(() => fake.emit({ event: "reset", id: "9", data: { reason: "history too old" } }));
      expect(await screen.findByRole("button", { name: "Play big_final.mp4" })).toBeInTheDocument();
    });

    it("lists again when the live stream comes back after a drop", async () => {
      const fake = createFakeClient([late]);
      renderApp(fake);
      await screen.findByRole("button", { name: "Play late_moov.mp4" });
      act(() => fake.setStatus("retrying"));
      fake.videos = [late, big];
      act(() => fake.setStatus("open"));
      expect(await screen.findByRole("button", { name: "Play big_final.mp4" })).toBeInTheDocument();
    });

    it("shows whether the live stream is up, down and retrying", async () => {
      const fake = createFakeClient([late]);
      renderApp(fake);
      expect(await screen.findByText("Live")).toBeInTheDocument();
      act(() => fake.setStatus("retrying"));
      expect(screen.getByText("Offline, retrying…")).toBeInTheDocument();
      act(() => fake.setStatus("open"));
      expect(screen.getByText("Live")).toBeInTheDocument();
    });
  });
});
