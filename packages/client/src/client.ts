/** `createReelClient`: the typed openapi-fetch client plus Reel's throwing, streaming helpers. */
import createClient from "openapi-fetch";
import { download } from "./download.js";
import { toReelApiError } from "./errors.js";
import { fetchRange } from "./fetch-range.js";
import type { paths } from "./schema.js";
import { watchVideos } from "./sse/watch-videos.js";
import type { ClientContext, ListVideosQuery, ReelClient, VideoInfo } from "./types.js";
import { posterPath, previewsPath, resolveBaseUrl, subtitlePath, videoPath } from "./urls.js";

/** Options of `createReelClient`. */
export interface ReelClientOptions {
  /** Where Reel runs, e.g. `http://127.0.0.1:8000`; in a browser also the page origin or a relative prefix. */
  baseUrl: string;
  /** A custom fetch (tests, instrumentation); default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** Creates the SDK for the Reel server at `options.baseUrl`. */
export function createReelClient(options: ReelClientOptions): ReelClient {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const raw = createClient<paths>({ baseUrl, fetch: options.fetch });
  const context: ClientContext = { raw, baseUrl };

  const listVideos: ReelClient["listVideos"] = async (query = {}, init = {}) => {
    const { data, error, response } = await raw.GET("/api/videos", {
      params: { query },
      signal: init.signal,
    });
    if (data === undefined) {
      throw toReelApiError(error, response, { method: "GET", url: `${baseUrl}/api/videos` });
    }
    return data;
  };

  async function* listAllVideos(
    query: Omit<ListVideosQuery, "cursor"> = {},
  ): AsyncIterable<VideoInfo> {
    let cursor: string | undefined;
    do {
      const page = await listVideos(cursor === undefined ? query : { ...query, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  return {
    raw,
    baseUrl,
    listVideos,
    listAllVideos,
    async getVideo(filename, init = {}) {
      const { data, error, response } = await raw.GET("/api/videos/{filename}", {
        params: { path: { filename } },
        signal: init.signal,
      });
      if (data === undefined) {
        const url = `${baseUrl}/api/videos/${encodeURIComponent(filename)}`;
        throw toReelApiError(error, response, { method: "GET", url });
      }
      return data;
    },
    async getHealth(init = {}) {
      const { data, error, response } = await raw.GET("/api/health", { signal: init.signal });
      if (data === undefined) {
        throw toReelApiError(error, response, { method: "GET", url: `${baseUrl}/api/health` });
      }
      return data;
    },
    videoUrl: (filename) => baseUrl + videoPath(filename),
    posterUrl: (filename) => baseUrl + posterPath(filename),
    previewsUrl: (filename) => baseUrl + previewsPath(filename),
    subtitleUrl: (filename, lang) => baseUrl + subtitlePath(filename, lang),
    fetchRange: (filename, range, init) => fetchRange(context, filename, range, init),
    download: (filename, options) => download(context, filename, options),
    watchVideos: (onEvent, options) => watchVideos(context, onEvent, options),
  };
}
