/**
 * `@reel/client`: the typed SDK for Reel. This file is the whole public surface; the generated
 * `schema.d.ts` stays internal and is reached through the named types below.
 */
export { createReelClient, type ReelClientOptions } from "./client.js";
export { ReelApiError, type ReelApiErrorInit } from "./errors.js";
export type { ByteRange, ContentRange } from "./range.js";
export type {
  CallOptions,
  Download,
  DownloadOptions,
  DownloadProgress,
  ExtrasStatus,
  FetchRangeInit,
  Health,
  LibraryEvent,
  ListVideosQuery,
  MediaInfo,
  RangeResponse,
  ReelClient,
  SubtitleTrack,
  VideoInfo,
  VideoList,
  WatchOptions,
  WatchStatus,
} from "./types.js";
