/** Builds the wire `VideoInfo` of one file from its stats and media facts. */
import { strongEtagOf } from "../files/validators.js";
import {
  CONTENT_TYPES,
  type MediaInfo,
  servedExtensionOf,
  type VideoInfo,
} from "../openapi/schemas.js";
import type { FileFacts } from "./scan.js";

/** The percent-encoded stream URL path of `filename`. */
export function streamUrlOf(filename: string): string {
  return `/api/video/${encodeURIComponent(filename)}`;
}

/** `VideoInfo` for a servable file; `media` is `null` when its header could not be parsed. */
export function toVideoInfo(facts: FileFacts, media: MediaInfo | null): VideoInfo {
  const extension = servedExtensionOf(facts.filename);
  // Only servable names reach here (`statServable` checks them), so the fallback never applies.
  const contentType = extension === undefined ? "video/mp4" : CONTENT_TYPES[extension];
  return {
    filename: facts.filename,
    size: facts.size,
    modifiedAt: facts.stats.mtime.toISOString(),
    etag: strongEtagOf(facts.stats), // the stream route's own function, so they always agree
    contentType,
    url: streamUrlOf(facts.filename),
    media,
  };
}
