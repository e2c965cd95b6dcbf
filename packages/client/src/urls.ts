/** Where the API lives and how a filename becomes a URL; pure apart from reading `location`. */

/**
 * Resolves `baseUrl` to an absolute URL without a trailing slash. A browser may pass the page
 * origin or a relative prefix such as `""` or `/reel`; both are resolved against `location`, since
 * `<video src>` and Node's `fetch` need absolute URLs.
 */
export function resolveBaseUrl(baseUrl: string): string {
  const page = typeof location === "undefined" ? undefined : location.href;
  let url: URL;
  try {
    // "" means "this origin", as openapi-fetch treats it: its paths all start with "/".
    url = new URL(baseUrl === "" ? "/" : baseUrl, page);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL outside a browser, got "${baseUrl}"`);
  }
  url.search = "";
  url.hash = "";
  return url.href.replace(/\/+$/, "");
}

/**
 * The percent-encoded stream path of a file. `encodeURIComponent` escapes everything that would
 * end or split a path segment (`/`, `?`, `#`, `%`, space, `&`) and encodes non-ASCII as UTF-8,
 * which is what the server percent-decodes (RFC 3986 §2.1).
 */
export function videoPath(filename: string): string {
  return `/api/video/${encodeURIComponent(filename)}`;
}

/** The poster path of a file (`VideoInfo.poster` once rendered), encoded as `videoPath`. */
export function posterPath(filename: string): string {
  return `/api/videos/${encodeURIComponent(filename)}/poster.jpg`;
}

/** The seek-preview track path of a file (`VideoInfo.previews` once rendered). */
export function previewsPath(filename: string): string {
  return `/api/videos/${encodeURIComponent(filename)}/previews.vtt`;
}

/** The path of a file's subtitle track `lang` (as `VideoInfo.subtitles[].url`). */
export function subtitlePath(filename: string, lang: string): string {
  return `/api/videos/${encodeURIComponent(filename)}/subtitles/${encodeURIComponent(lang)}.vtt`;
}
