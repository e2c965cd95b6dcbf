import { useCallback, useState } from "react";
import type { SubtitleTrack } from "../../lib/reel";
import {
  pageStorage,
  pickSubtitle,
  readRememberedSubtitle,
  rememberSubtitle,
} from "./subtitle-choice";

/** The shown subtitle track and how to change it. */
export interface SubtitleChoice {
  /** The track shown, or null for none. */
  active: SubtitleTrack | null;
  /** Shows `track` (null: none) and remembers its language for the next videos. */
  choose(track: SubtitleTrack | null): void;
}

/**
 * Starts from the remembered language; a track picked here wins over it for this video (two
 * tracks may share a language). Tracks a live event adds later are picked up the same way.
 */
export function useSubtitleChoice(
  tracks: readonly SubtitleTrack[],
  storage: Storage | null = pageStorage(),
): SubtitleChoice {
  const [remembered, setRemembered] = useState(() => readRememberedSubtitle(storage));
  const [chosenUrl, setChosenUrl] = useState<string | null>(null);
  const active =
    tracks.find((track) => track.url === chosenUrl) ?? pickSubtitle(tracks, remembered);
  const choose = useCallback(
    (track: SubtitleTrack | null) => {
      setChosenUrl(track?.url ?? null);
      setRemembered(track?.lang ?? null);
      rememberSubtitle(storage, track);
    },
    [storage],
  );
  return { active, choose };
}
