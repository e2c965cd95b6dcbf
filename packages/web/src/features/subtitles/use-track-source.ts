import { useEffect, useState } from "react";
import { isSameOrigin } from "../../lib/api-path";
import { fetchText } from "../../lib/fetch-text";

/**
 * The `src` to give a `<track>` for the WebVTT at `url`, or null while it is not ready.
 *
 * A track is fetched in the mode of its video's `crossorigin` attribute, and without one a
 * cross-origin track is refused (HTML "start the track processing model": same-origin fallback).
 * The player's <video> deliberately has no `crossorigin`: with one, Chromium moves the media
 * requests onto the SDK's credential-less connection pool (e2e/http2-tabs.e2e.ts guards that).
 * So a same-origin track (the dev proxy, or the bundle served by the API) is used as it is, and
 * a cross-origin one (a bundle built with `VITE_API_URL`) is fetched with CORS like every SDK
 * call and handed over as a `blob:` URL, which is same-origin.
 */
export function useTrackSource(url: string | null): string | null {
  const sameOrigin = url !== null && isSameOrigin(url, window.location.origin);
  const [blob, setBlob] = useState<{ url: string; src: string } | null>(null);
  useEffect(() => {
    if (url === null || sameOrigin) {
      return;
    }
    const controller = new AbortController();
    let created: string | null = null;
    fetchText(url, controller.signal).then(
      (text) => {
        if (controller.signal.aborted) {
          return;
        }
        created = URL.createObjectURL(new Blob([text], { type: "text/vtt" }));
        setBlob({ url, src: created });
      },
      () => undefined,
    );
    return () => {
      controller.abort();
      if (created !== null) {
        URL.revokeObjectURL(created);
      }
    };
  }, [url, sameOrigin]);
  if (url === null) {
    return null;
  }
  if (sameOrigin) {
    return url;
  }
  return blob?.url === url ? blob.src : null;
}
