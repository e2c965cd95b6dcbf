/**
 * Which sidecar files of a video are subtitle tracks, and under which language: pure, no I/O.
 * `NAME.vtt` / `NAME.srt` → `und`; `NAME.LANG.vtt|srt` → `LANG` when it is a BCP 47 tag
 * (RFC 5646: a 2–3 letter language, optional subtags), canonicalised (`EN` → `en`, `pt-br` →
 * `pt-BR`). Per language a `.vtt` wins over an `.srt` (no conversion needed).
 */
import { stemOf } from "../storage/names.js";

/** A track and the sidecar it is served from. */
export interface SubtitleSource {
  lang: string;
  label: string;
  /** The sidecar's file or object name. */
  sidecar: string;
  format: "vtt" | "srt";
}

const UNDETERMINED = "und"; // ISO 639-2 "undetermined", as in BCP 47
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const displayNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "code" });

/** The canonical tag of `text`, or `undefined` when it is not a well-formed language tag. */
function canonicalLanguage(text: string): string | undefined {
  if (!LANGUAGE_TAG.test(text)) {
    return undefined;
  }
  try {
    return Intl.getCanonicalLocales(text)[0];
  } catch {
    return undefined; // e.g. `en-x`: right shape, not a valid tag
  }
}

/** A track label in English: `English`, `Brazilian Portuguese`; `Subtitles` for `und`. */
export function labelOf(lang: string): string {
  return lang === UNDETERMINED ? "Subtitles" : (displayNames.of(lang) ?? lang);
}

/** The subtitle tracks of `videoName` among `sidecars` (names), sorted by language. */
export function subtitleSourcesOf(
  videoName: string,
  sidecars: readonly string[],
): SubtitleSource[] {
  const prefix = `${stemOf(videoName)}.`;
  const byLang = new Map<string, SubtitleSource>();
  for (const sidecar of sidecars) {
    if (!sidecar.startsWith(prefix)) {
      continue;
    }
    const rest = sidecar.slice(prefix.length);
    const dot = rest.lastIndexOf(".");
    const extension = rest.slice(dot + 1).toLowerCase();
    if (extension !== "vtt" && extension !== "srt") {
      continue;
    }
    const lang = dot === -1 ? UNDETERMINED : canonicalLanguage(rest.slice(0, dot));
    if (lang === undefined) {
      continue;
    }
    const known = byLang.get(lang);
    if (known === undefined || (known.format === "srt" && extension === "vtt")) {
      byLang.set(lang, { lang, label: labelOf(lang), sidecar, format: extension });
    }
  }
  return [...byLang.values()].sort((a, b) => a.lang.localeCompare(b.lang));
}
