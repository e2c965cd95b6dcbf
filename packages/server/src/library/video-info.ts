/** Builds the wire `VideoInfo` of one stored video from its facts and media facts. */
import type { MediaInfo, VideoInfo } from "../openapi/schemas.js";
import { contentTypeOf } from "../storage/names.js";
import type { StoredVideo } from "../storage/store.js";

/** The percent-encoded stream URL path of `filename`. */
function streamUrlOf(filename: string): string {
  return `/api/video/${encodeURIComponent(filename)}`;
}

/** The fields the extras and the sidecars add; absent: nothing rendered, no sidecar. */
export type VideoExtras = Pick<VideoInfo, "poster" | "previews" | "subtitles">;

const NO_EXTRAS: VideoExtras = { poster: null, previews: null, subtitles: [] };

/** `VideoInfo` for a servable video; `media` is `null` when its header could not be parsed. */
export function toVideoInfo(
  video: StoredVideo,
  media: MediaInfo | null,
  extras: VideoExtras = NO_EXTRAS,
): VideoInfo {
  return {
    filename: video.name,
    size: video.size,
    modifiedAt: new Date(video.modifiedMs).toISOString(),
    etag: video.etag, // the store's own validator, the one the stream route sends
    contentType: contentTypeOf(video.name),
    url: streamUrlOf(video.name),
    media,
    // Posters and previews are filled in once rendered (extras/), subtitles from the sidecars.
    poster: extras.poster,
    previews: extras.previews,
    subtitles: extras.subtitles,
  };
}
