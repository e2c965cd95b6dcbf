import { describe, expect, it } from "vitest";
import { canPlay, codecName, type MediaSupport } from "./playability";
import type { MediaInfo } from "./reel";

/** A browser that decodes exactly `codecs` (by RFC 6381 prefix), through one of the two calls. */
function browserThatPlays(codecs: string[], via: "canPlayType" | "isTypeSupported"): MediaSupport {
  const asked: string[] = [];
  const supports = (type: string) => {
    asked.push(type);
    return codecs.some((codec) => type.includes(`codecs="${codec}`));
  };
  return via === "canPlayType"
    ? { canPlayType: (type) => (supports(type) ? "probably" : "") }
    : { canPlayType: () => "", isTypeSupported: supports };
}

const media = (videoCodec: string | null, audioCodec: string | null): NonNullable<MediaInfo> => ({
  durationSeconds: 2,
  width: 320,
  height: 180,
  rotation: 0,
  videoCodec,
  audioCodec,
  faststart: true,
});
const CHROMIUM = ["avc1", "mp4a", "vp9", "vp09", "av01", "opus"];

describe("canPlay", () => {
  it("answers playable when every codec is supported in its container", () => {
    const video = { contentType: "video/mp4" as const, media: media("avc1.64001f", "mp4a.40.2") };
    expect(canPlay(video, browserThatPlays(CHROMIUM, "canPlayType"))).toEqual({ kind: "playable" });
  });

  it("names an HEVC video the browser cannot decode, in words", () => {
    const video = {
      contentType: "video/mp4" as const,
      media: media("hvc1.1.6.L93.B0", "mp4a.40.2"),
    };
    expect(canPlay(video, browserThatPlays(CHROMIUM, "canPlayType"))).toEqual({
      kind: "unsupported",
      message:
        "This browser cannot play HEVC video; download it or open it in a player that can (such as VLC or mpv).",
    });
  });

  it("names both tracks when neither can be decoded", () => {
    const video = { contentType: "video/webm" as const, media: media("vp9", "opus") };
    const verdict = canPlay(video, browserThatPlays(["avc1"], "canPlayType"));
    expect(verdict).toMatchObject({ kind: "unsupported" });
    expect(verdict.kind === "unsupported" && verdict.message).toContain("VP9 video or Opus audio");
  });

  it("takes MediaSource.isTypeSupported's yes when canPlayType says nothing", () => {
    const video = { contentType: "video/webm" as const, media: media("av01.0.04M.08", null) };
    expect(canPlay(video, browserThatPlays(["av01"], "isTypeSupported"))).toEqual({
      kind: "playable",
    });
  });

  it("asks about a QuickTime file as MP4, whose codecs it carries", () => {
    const asked: string[] = [];
    const support: MediaSupport = {
      canPlayType: (type) => {
        asked.push(type);
        return "maybe";
      },
    };
    canPlay({ contentType: "video/quicktime", media: media("avc1.640028", null) }, support);
    expect(asked).toEqual(['video/mp4; codecs="avc1.640028"']);
  });

  it("answers unknown without media facts or without a browser", () => {
    const support = browserThatPlays(CHROMIUM, "canPlayType");
    expect(canPlay({ contentType: "video/mp4" as const, media: null }, support)).toEqual({
      kind: "unknown",
    });
    const video = { contentType: "video/mp4" as const, media: media("avc1.64001f", null) };
    expect(canPlay(video, undefined)).toEqual({ kind: "unknown" });
  });
});

describe("codecName", () => {
  it.each([
    ["hvc1.1.6.L93.B0", "HEVC"],
    ["avc1.64001f", "H.264"],
    ["vp09.00.10.08", "VP9"],
    ["av01.0.04M.08", "AV1"],
    ["mp4a.40.2", "AAC"],
    ["theora", "theora"],
  ])("calls %s %s", (codec, name) => {
    expect(codecName(codec)).toBe(name);
  });
});
