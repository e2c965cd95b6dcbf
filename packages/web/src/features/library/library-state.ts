import type { Failure } from "../../lib/failure";
import type { LibraryEvent, VideoInfo } from "../../lib/reel";
import { compareVideos, type LibraryQuery, matchesSearch } from "./library-order";

/** The loaded part of the library plus how loading is going. */
export interface LibraryState {
  items: VideoInfo[];
  nextCursor: string | null;
  total: number;
  status: "loading" | "ready" | "failed";
  /** Why the first page failed (`status: "failed"`), or why loading more failed. */
  failure: Failure | null;
  loadingMore: boolean;
}

/** Everything that changes the library state. */
export type LibraryAction =
  | { type: "load-start" }
  | { type: "more-start" }
  | {
      type: "page-loaded";
      append: boolean;
      page: { items: VideoInfo[]; nextCursor: string | null; total: number };
    }
  | { type: "load-failed"; failure: Failure }
  | { type: "live-event"; event: LibraryEvent; query: LibraryQuery };

/** The state before the first page arrives. */
export const initialLibraryState: LibraryState = {
  items: [],
  nextCursor: null,
  total: 0,
  status: "loading",
  failure: null,
  loadingMore: false,
};

function appendPage(items: VideoInfo[], page: VideoInfo[]): VideoInfo[] {
  // A live event may already have inserted a video the next page also holds.
  const seen = new Set(items.map((item) => item.filename));
  return [...items, ...page.filter((item) => !seen.has(item.filename))];
}

function applyUpsert(state: LibraryState, video: VideoInfo, query: LibraryQuery): LibraryState {
  const known = state.items.some((item) => item.filename === video.filename);
  const rest = state.items.filter((item) => item.filename !== video.filename);
  if (!matchesSearch(video.filename, query.q)) {
    return known ? { ...state, items: rest, total: Math.max(0, state.total - 1) } : state;
  }
  const compare = compareVideos(query);
  const index = rest.findIndex((item) => compare(video, item) < 0);
  const total = known ? state.total : state.total + 1;
  if (index === -1 && state.nextCursor !== null) {
    // It sorts after everything loaded so far: the next page will bring it.
    return { ...state, items: rest, total };
  }
  const at = index === -1 ? rest.length : index;
  return { ...state, items: [...rest.slice(0, at), video, ...rest.slice(at)], total };
}

function applyEvent(state: LibraryState, event: LibraryEvent, query: LibraryQuery): LibraryState {
  switch (event.event) {
    case "added":
    case "changed":
      return applyUpsert(state, event.data, query);
    case "removed": {
      const { filename } = event.data;
      const items = state.items.filter((item) => item.filename !== filename);
      const counted = items.length !== state.items.length || matchesSearch(filename, query.q);
      return { ...state, items, total: counted ? Math.max(0, state.total - 1) : state.total };
    }
    case "reset":
      // The hook lists again; nothing to merge.
      return state;
  }
}

/** Pure reducer behind `useLibrary`. */
export function libraryReducer(state: LibraryState, action: LibraryAction): LibraryState {
  switch (action.type) {
    case "load-start":
      // A retry keeps showing the failure (and the list keeps its items while a new search
      // loads), so the screen does not flicker between states.
      return state.status === "failed"
        ? { ...state, loadingMore: false }
        : { ...state, status: "loading", failure: null, loadingMore: false };
    case "more-start":
      return { ...state, loadingMore: true, failure: null };
    case "page-loaded": {
      const { page } = action;
      const items = action.append ? appendPage(state.items, page.items) : page.items;
      return {
        items,
        nextCursor: page.nextCursor,
        total: page.total,
        status: "ready",
        failure: null,
        loadingMore: false,
      };
    }
    case "load-failed":
      return state.status === "ready"
        ? { ...state, loadingMore: false, failure: action.failure }
        : { ...state, status: "failed", failure: action.failure, loadingMore: false };
    case "live-event":
      return state.status === "ready" ? applyEvent(state, action.event, action.query) : state;
  }
}
