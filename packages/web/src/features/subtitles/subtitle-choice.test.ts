import { describe, expect, it } from "vitest";
import type { SubtitleTrack } from "../../lib/reel";
import {
  pickSubtitle,
  readRememberedSubtitle,
  rememberSubtitle,
  SUBTITLES_KEY,
} from "./subtitle-choice";

const track = (lang: string, label = lang): SubtitleTrack => ({
  lang,
  label,
  url: `/api/videos/a.mp4/subtitles/${lang}.vtt`,
});

describe("pickSubtitle", () => {
  const tracks = [track("und", "Subtitles"), track("en-GB"), track("fr"), track("pt-BR")];

  it.each([
    [null, null],
    ["off", null],
    ["fr", "fr"],
    ["FR", "fr"],
    ["en-GB", "en-GB"],
    ["en", "en-GB"],
    ["en-US", "en-GB"],
    ["pt", "pt-BR"],
    ["und", "und"],
    ["de", null],
  ])("remembered %j → %j", (remembered, lang) => {
    expect(pickSubtitle(tracks, remembered)?.lang ?? null).toBe(lang);
  });

  it("prefers the exact tag over an earlier track of the same language", () => {
    expect(pickSubtitle([track("en"), track("en-GB")], "en-GB")?.lang).toBe("en-GB");
  });

  it("finds nothing in a video without subtitles", () => {
    expect(pickSubtitle([], "en")).toBeNull();
  });
});

describe("remembering the choice", () => {
  it("stores the language, or off", () => {
    const storage = window.localStorage;
    storage.clear();
    expect(readRememberedSubtitle(storage)).toBeNull();
    rememberSubtitle(storage, track("fr"));
    expect(storage.getItem(SUBTITLES_KEY)).toBe("fr");
    expect(readRememberedSubtitle(storage)).toBe("fr");
    rememberSubtitle(storage, null);
    expect(readRememberedSubtitle(storage)).toBe("off");
    storage.clear();
  });

  it("does without storage that throws or is missing", () => {
    const blocked = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    } as unknown as Storage; // only the two methods used are needed
    expect(readRememberedSubtitle(blocked)).toBeNull();
    expect(() => rememberSubtitle(blocked, track("fr"))).not.toThrow();
    expect(readRememberedSubtitle(null)).toBeNull();
  });
});
