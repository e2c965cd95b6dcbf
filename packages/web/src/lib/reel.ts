// The part of @reel/client the player uses, in one place. Components depend on `PlayerClient`
// (only the five calls they make), so component tests can hand in a small fake at this boundary.
import type { ReelClient, VideoInfo } from "@reel/client";

export type {
  LibraryEvent,
  ListVideosQuery,
  MediaInfo,
  VideoInfo,
  WatchStatus,
} from "@reel/client";
export { ReelApiError } from "@reel/client";

/** One sidecar subtitle track of a video (`lang`, `label`, and the `url` path of its WebVTT). */
export type SubtitleTrack = VideoInfo["subtitles"][number];

/** The SDK calls the player makes. */
export type PlayerClient = Pick<
  ReelClient,
  "listVideos" | "getVideo" | "videoUrl" | "download" | "watchVideos"
>;
