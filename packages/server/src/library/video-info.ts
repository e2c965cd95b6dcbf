/** Builds the wire `VideoInfo` of one stored video from its facts and media facts. */
import type { MediaInfo, VideoInfo } from "../openapi/schemas.js";
import { contentTypeOf } from "../storage/names.js";
import type { StoredVideo } from "../storage/store.js";

/** The percent-encoded stream URL path of `filename`. */
function streamUrlOf(filename: string): string {
  return `/api/video/${encodeURIComponent(filename)}`;
}

/** `VideoInfo` for a servable video; `media` is `null` when its header could not be parsed. */
export function toVideoInfo(video: StoredVideo, media: MediaInfo | null): VideoInfo {
  return {
    filename: video.name,
    size: video.size,
    modifiedAt: new Date(video.modifiedMs).toISOString(),
    etag: video.etag, // the store's own validator, the one the stream route sends
    contentType: contentTypeOf(video.name),
    url: streamUrlOf(video.name),
    media,
    // Filled in by the extras (posters, seek previews, sidecar subtitles) when they are ready.
    poster: null,
    previews: null,
    subtitles: [],
  };
}
