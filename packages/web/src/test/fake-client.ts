// A PlayerClient double for component tests: the SDK is mocked at its boundary, backed by an
// in-memory library that honours q/sort/order/limit/cursor like the server does.
import { vi } from "vitest";
import { compareVideos, matchesSearch } from "../features/library/library-order";
import type { LibraryEvent, ListVideosQuery, PlayerClient, VideoInfo } from "../lib/reel";
import { ReelApiError } from "../lib/reel";

/** A VideoInfo with sensible defaults. */
export function makeVideo(filename: string, overrides: Partial<VideoInfo> = {}): VideoInfo {
  return {
    filename,
    size: 1_500_000,
    modifiedAt: "2026-11-24T10:00:00.000Z",
    etag: `"${filename}-1"`,
    contentType: "video/mp4",
    url: `/api/video/${encodeURIComponent(filename)}`,
    media: {
      durationSeconds: 10,
      width: 320,
      height: 180,
      rotation: 0,
      videoCodec: "avc1.64000d",
      audioCodec: "mp4a.40.2",
      faststart: true,
    },
    poster: null,
    previews: null,
    subtitles: [],
    ...overrides,
  };
}

type Status = "connecting" | "open" | "retrying";

/** The fake plus handles to drive it. */
export interface FakeClient {
  client: PlayerClient;
  /** The server's library; tests may change it between calls. */
  videos: VideoInfo[];
  /** Sends a live event to every watcher. */
  emit(event: LibraryEvent): void;
  /** Reports a live-stream status to every watcher. */
  setStatus(status: Status): void;
  /** Makes listVideos/getVideo reject with `error` (or succeed again with null). */
  failWith(error: unknown): void;
  /** Holds every listVideos answer until the returned function is called (a slow server). */
  holdListing(): () => void;
  listVideos: ReturnType<typeof vi.fn<PlayerClient["listVideos"]>>;
  download: ReturnType<typeof vi.fn<PlayerClient["download"]>>;
}

/** Builds a fake client over `initial`. */
export function createFakeClient(initial: VideoInfo[] = []): FakeClient {
  const watchers = new Set<{
    onEvent: (event: LibraryEvent) => void;
    onStatus?: (s: Status) => void;
  }>();
  let failure: { error: unknown } | null = null;
  let held: Promise<void> | null = null;
  const library = { videos: initial };

  const listVideos = vi.fn(async (query: ListVideosQuery = {}) => {
    if (held) {
      await held;
    }
    if (failure) {
      throw failure.error;
    }
    const sort = query.sort ?? "modified";
    const order = query.order ?? "desc";
    const matching = library.videos
      .filter((video) => matchesSearch(video.filename, query.q ?? ""))
      .sort(compareVideos({ sort, order }));
    const start = query.cursor ? Number(query.cursor) : 0;
    const end = start + (query.limit ?? 100);
    return {
      items: matching.slice(start, end),
      nextCursor: end < matching.length ? String(end) : null,
      total: matching.length,
    };
  });
  const download = vi.fn<PlayerClient["download"]>();

  const client: PlayerClient = {
    listVideos,
    download,
    async getVideo(filename) {
      if (failure) {
        throw failure.error;
      }
      const video = library.videos.find((item) => item.filename === filename);
      if (!video) {
        throw new ReelApiError({
          status: 404,
          detail: `Video not found: ${filename}`,
          method: "GET",
          url: `http://reel.test/api/videos/${encodeURIComponent(filename)}`,
        });
      }
      return video;
    },
    videoUrl: (filename) => `http://reel.test/api/video/${encodeURIComponent(filename)}`,
    watchVideos(onEvent, options = {}) {
      const watcher = { onEvent, onStatus: options.onStatus };
      watchers.add(watcher);
      options.onStatus?.("open");
      return () => {
        watchers.delete(watcher);
      };
    },
  };

  return {
    client,
    get videos() {
      return library.videos;
    },
    set videos(next) {
      library.videos = next;
    },
    emit(event) {
      for (const watcher of watchers) {
        watcher.onEvent(event);
      }
    },
    setStatus(status) {
      for (const watcher of watchers) {
        watcher.onStatus?.(status);
      }
    },
    failWith(error) {
      failure = error === null ? null : { error };
    },
    holdListing() {
      let release = () => {};
      held = new Promise((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return release;
    },
    listVideos,
    download,
  };
}
