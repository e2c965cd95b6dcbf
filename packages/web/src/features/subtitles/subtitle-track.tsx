import { useEffect, useRef } from "react";
import type { SubtitleTrack } from "../../lib/reel";
import { useTrackSource } from "./use-track-source";

/**
 * The chosen subtitle track as the <video>'s one `<track>`, switched to "showing" so the browser
 * draws its cues over the picture. A dynamically added track starts "disabled" unless the
 * browser honours `default` for it, so the mode is set as well.
 */
export function SubtitleTrackElement({ track }: { track: SubtitleTrack | null }) {
  const src = useTrackSource(track?.url ?? null);
  const ref = useRef<HTMLTrackElement>(null);
  useEffect(() => {
    // Undefined in jsdom, which has no text tracks.
    const textTrack: TextTrack | undefined = ref.current?.track;
    if (src !== null && textTrack) {
      textTrack.mode = "showing";
    }
  }, [src]);
  if (track === null || src === null) {
    return null;
  }
  return (
    <track
      key={src}
      ref={ref}
      kind="subtitles"
      srcLang={track.lang}
      label={track.label}
      src={src}
      default
    />
  );
}
