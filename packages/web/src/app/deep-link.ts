import { useCallback, useEffect, useState } from "react";

/** What the address bar says is open: `?v=<filename>&t=<seconds>`. */
export interface DeepLink {
  video: string | null;
  /** Start time in seconds, or null for the beginning. */
  time: number | null;
}

/** Reads `?v=…&t=…`; a missing, negative or non-numeric `t` means "from the start". */
export function readDeepLink(search: string): DeepLink {
  const params = new URLSearchParams(search);
  const video = params.get("v");
  const t = Number(params.get("t"));
  return {
    video: video ? video : null,
    time: params.has("t") && Number.isFinite(t) && t > 0 ? t : null,
  };
}

/** Builds the query string for `link` ("" when nothing is open). */
export function writeDeepLink(link: DeepLink): string {
  if (!link.video) {
    return "";
  }
  const params = new URLSearchParams({ v: link.video });
  if (link.time !== null && link.time > 0) {
    params.set("t", String(Math.floor(link.time)));
  }
  return `?${params.toString()}`;
}

function currentPathWith(search: string): string {
  return `${window.location.pathname}${search}${window.location.hash}`;
}

/** The open video as the URL holds it, and the three ways to change it. */
export interface DeepLinkController {
  link: DeepLink;
  /** Opens a video: a new history entry, so Back returns to the previous one. */
  open(filename: string): void;
  /** Back to the library alone (a new history entry). */
  close(): void;
  /** Records the playback position in place (no new history entry per second). */
  recordTime(seconds: number): void;
}

/** Keeps the open video and time in the URL; Back/Forward move between videos. */
export function useDeepLink(): DeepLinkController {
  const [link, setLink] = useState(() => readDeepLink(window.location.search));

  useEffect(() => {
    const onPopState = () => setLink(readDeepLink(window.location.search));
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  const open = useCallback((filename: string) => {
    const next = { video: filename, time: null };
    window.history.pushState(null, "", currentPathWith(writeDeepLink(next)));
    setLink(next);
  }, []);

  const close = useCallback(() => {
    window.history.pushState(null, "", currentPathWith(""));
    setLink({ video: null, time: null });
  }, []);

  const recordTime = useCallback((seconds: number) => {
    const { video } = readDeepLink(window.location.search);
    if (!video) {
      return;
    }
    // Only the URL changes: `link.time` is where playback started, not where it is now.
    const search = writeDeepLink({ video, time: seconds });
    if (search !== window.location.search) {
      window.history.replaceState(null, "", currentPathWith(search));
    }
  }, []);

  return { link, open, close, recordTime };
}
