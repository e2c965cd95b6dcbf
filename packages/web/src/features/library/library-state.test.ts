import { describe, expect, it } from "vitest";
import { makeVideo } from "../../test/fake-client";
import type { LibraryQuery } from "./library-order";
import { initialLibraryState, type LibraryState, libraryReducer } from "./library-state";

const byName: LibraryQuery = { q: "", sort: "name", order: "asc" };

function ready(names: string[], nextCursor: string | null, total = names.length): LibraryState {
  return libraryReducer(initialLibraryState, {
    type: "page-loaded",
    append: false,
    page: { items: names.map((name) => makeVideo(name)), nextCursor, total },
  });
}

function names(state: LibraryState): string[] {
  return state.items.map((item) => item.filename);
}

describe("libraryReducer", () => {
  describe("when a video is added", () => {
    it("inserts it where the server's order puts it (numeric name order)", () => {
      const state = ready(["clip1.mp4", "clip10.mp4"], null);
      const next = libraryReducer(state, {
        type: "live-event",
        event: { event: "added", id: "1", data: makeVideo("clip2.mp4") },
        query: byName,
      });
      expect(names(next)).toEqual(["clip1.mp4", "clip2.mp4", "clip10.mp4"]);
      expect(next.total).toBe(3);
    });

    it("leaves it to a later page when it sorts after everything loaded", () => {
      const state = ready(["a.mp4", "b.mp4"], "cursor", 5);
      const next = libraryReducer(state, {
        type: "live-event",
        event: { event: "added", id: "1", data: makeVideo("z.mp4") },
        query: byName,
      });
      expect(names(next)).toEqual(["a.mp4", "b.mp4"]);
      expect(next.total).toBe(6);
    });
  });

  describe("when the next page arrives", () => {
    it("skips videos a live event already inserted", () => {
      const state = ready(["a.mp4", "b.mp4"], "cursor", 4);
      const next = libraryReducer(state, {
        type: "page-loaded",
        append: true,
        page: { items: [makeVideo("b.mp4"), makeVideo("c.mp4")], nextCursor: null, total: 3 },
      });
      expect(names(next)).toEqual(["a.mp4", "b.mp4", "c.mp4"]);
    });
  });

  describe("when a video changes so it no longer matches the search", () => {
    it("removes it and lowers the total", () => {
      const state = ready(["cat.mp4"], null);
      const next = libraryReducer(state, {
        type: "live-event",
        event: { event: "changed", id: "1", data: makeVideo("cat.mp4") },
        query: { ...byName, q: "dog" },
      });
      expect(names(next)).toEqual([]);
      expect(next.total).toBe(0);
    });
  });

  describe("while a retry runs after a failure", () => {
    it("keeps showing the failure instead of flickering to loading", () => {
      const failed = libraryReducer(initialLibraryState, {
        type: "load-failed",
        failure: { kind: "unreachable", url: "http://x/api/videos", detail: "down" },
      });
      const retrying = libraryReducer(failed, { type: "load-start" });
      expect(retrying.status).toBe("failed");
      expect(retrying.failure?.kind).toBe("unreachable");
    });
  });
});
