import { useState } from "react";

/** Props of a library row's poster. */
export interface PosterProps {
  /** Absolute poster URL, or null while the server has not rendered it yet. */
  src: string | null;
  alt: string;
}

type PosterState = "pending" | "loading" | "loaded" | "failed";

/**
 * A video's poster in a fixed 16:9 box, so a row never changes height when the image arrives.
 * The box itself is the neutral placeholder: shown while `src` is null (a `changed` live event
 * brings it later), while the image loads, and for good when it fails. `loading="lazy"`: a long
 * library fetches only the posters near the visible rows.
 */
export function Poster({ src, alt }: PosterProps) {
  // Kept per URL: a new `src` (the poster was re-rendered) starts loading afresh.
  const [settled, setSettled] = useState<{ src: string; ok: boolean } | null>(null);
  const outcome = src !== null && settled?.src === src ? settled : null;
  const state: PosterState =
    src === null ? "pending" : outcome === null ? "loading" : outcome.ok ? "loaded" : "failed";
  return (
    <span className="poster" data-poster-state={state}>
      {src !== null && state !== "failed" ? (
        <img
          key={src}
          className="poster-image"
          src={src}
          alt={alt}
          loading="lazy"
          decoding="async"
          width={160}
          height={90}
          onLoad={() => setSettled({ src, ok: true })}
          onError={() => setSettled({ src, ok: false })}
        />
      ) : null}
    </span>
  );
}
