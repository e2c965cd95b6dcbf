// Which subtitle track to show: the person's last choice, remembered by language, so choosing
// English once shows English on every video that has it. Pure, apart from the storage calls.
import type { SubtitleTrack } from "../../lib/reel";

/** The localStorage key of the remembered choice. */
export const SUBTITLES_KEY = "reel.subtitles";
/** Remembered when subtitles were turned off. */
export const SUBTITLES_OFF = "off";

function primarySubtag(lang: string): string {
  return lang.split("-")[0]?.toLowerCase() ?? "";
}

/**
 * The track to show for a remembered language: one with that exact tag (BCP 47 tags compare
 * case-insensitively, RFC 5646 §2.1.1), else one with its primary language (`en` ↔ `en-GB`);
 * none when nothing (or "off") is remembered or the video has no such track.
 */
export function pickSubtitle(
  tracks: readonly SubtitleTrack[],
  remembered: string | null,
): SubtitleTrack | null {
  if (remembered === null || remembered === SUBTITLES_OFF) {
    return null;
  }
  const wanted = remembered.toLowerCase();
  return (
    tracks.find((track) => track.lang.toLowerCase() === wanted) ??
    tracks.find((track) => primarySubtag(track.lang) === primarySubtag(wanted)) ??
    null
  );
}

/** The page's localStorage, or null where it is unavailable (blocked storage throws on access). */
export function pageStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The remembered language, "off", or null when nothing was chosen yet. */
export function readRememberedSubtitle(storage: Storage | null): string | null {
  try {
    return storage?.getItem(SUBTITLES_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Remembers a track's language, or "off" for none; a full or blocked storage just forgets. */
export function rememberSubtitle(storage: Storage | null, track: SubtitleTrack | null): void {
  try {
    storage?.setItem(SUBTITLES_KEY, track?.lang ?? SUBTITLES_OFF);
  } catch {
    // Not remembered: the choice still holds for this video.
  }
}
