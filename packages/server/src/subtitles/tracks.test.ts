import { describe, expect, it } from "vitest";
import { labelOf, subtitleSourcesOf } from "./tracks.js";

describe("subtitleSourcesOf", () => {
  it.each([
    [["lecture_final.en.srt"], [["en", "English", "lecture_final.en.srt"]]],
    [["lecture_final.srt"], [["und", "Subtitles", "lecture_final.srt"]]],
    [["lecture_final.vtt", "lecture_final.srt"], [["und", "Subtitles", "lecture_final.vtt"]]],
    [["lecture_final.en.srt", "lecture_final.en.vtt"], [["en", "English", "lecture_final.en.vtt"]]],
    [["lecture_final.EN.srt"], [["en", "English", "lecture_final.EN.srt"]]],
    [["lecture_final.pt-br.vtt"], [["pt-BR", "Brazilian Portuguese", "lecture_final.pt-br.vtt"]]],
    [
      ["lecture_final.fr.vtt", "lecture_final.de.srt"],
      [
        ["de", "German", "lecture_final.de.srt"],
        ["fr", "French", "lecture_final.fr.vtt"],
      ],
    ],
  ])("reads %j as tracks %j", (sidecars, expected) => {
    const tracks = subtitleSourcesOf("lecture_final.mp4", sidecars).map((track) => [
      track.lang,
      track.label,
      track.sidecar,
    ]);
    expect(tracks).toEqual(expected);
  });

  it.each([
    "lecture.en.srt", // another video's stem
    "lecture_final_2.en.srt",
    "lecture_final.notes.en.srt", // not a language tag
    "lecture_final.english.srt",
    "lecture_final.en.txt",
    "lecture_final.mp4",
  ])("ignores %s", (sidecar) => {
    expect(subtitleSourcesOf("lecture_final.mp4", [sidecar])).toEqual([]);
  });
});

describe("labelOf", () => {
  it("names languages in English and undetermined tracks `Subtitles`", () => {
    expect(labelOf("en")).toBe("English");
    expect(labelOf("ja")).toBe("Japanese");
    expect(labelOf("und")).toBe("Subtitles");
  });
});
