// The side files the player reads itself (WebVTT tracks) rather than through the SDK: their
// paths come from `VideoInfo`, so there is no operation to call, just a GET of a URL.

/** GETs `url` as text; an HTTP error rejects like a network error (the caller only shows less). */
export async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    throw new Error(`GET ${url} answered ${response.status}`);
  }
  return response.text();
}
