import { useEffect, useState } from "react";
import { fetchText } from "../../lib/fetch-text";
import { parseThumbnails, type Thumbnail } from "./thumbnails";

/**
 * The thumbnails of the track at `url` (absolute), fetched and parsed once per URL; empty while
 * loading, when there is none (`null`: not rendered yet) or when it cannot be read: the seek
 * bar then shows the time alone.
 */
export function useThumbnails(url: string | null): Thumbnail[] {
  const [loaded, setLoaded] = useState<{ url: string; thumbnails: Thumbnail[] } | null>(null);
  useEffect(() => {
    if (url === null) {
      return;
    }
    const controller = new AbortController();
    fetchText(url, controller.signal)
      .then((text) => parseThumbnails(text, url))
      .then(
        (thumbnails) => {
          if (!controller.signal.aborted) {
            setLoaded({ url, thumbnails });
          }
        },
        () => undefined,
      );
    return () => controller.abort();
  }, [url]);
  return loaded !== null && loaded.url === url ? loaded.thumbnails : [];
}
