// The API hands out paths (`VideoInfo.poster`, `previews`, `subtitles[].url`); the page needs URLs.

/**
 * `/api/videos/a.mp4/poster.jpg` → `${baseUrl}/api/videos/a.mp4/poster.jpg`: joined the way the
 * SDK joins `videoUrl`, so a base with a path prefix (`https://host/reel`) keeps its prefix.
 */
export function resolveApiPath(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return path.startsWith("/") ? `${base}${path}` : `${base}/${path}`;
}

/** True when `url` is served from `pageOrigin` (no CORS involved in fetching it). */
export function isSameOrigin(url: string, pageOrigin: string): boolean {
  try {
    return new URL(url, pageOrigin).origin === new URL(pageOrigin).origin;
  } catch {
    return false;
  }
}
