// Can this browser decode a video? Asked per codec with the container's MIME type, through
// `HTMLMediaElement.canPlayType` (what <video src> decides with) and, where it exists,
// `MediaSource.isTypeSupported` (RFC 6381 `codecs` parameter in both). Chromium, for one, plays
// H.264, VP9 and AV1 but answers "" for HEVC on most desktops.
import type { VideoInfo } from "./reel";

/** The two browser questions, injectable so the verdict is testable without a browser. */
export interface MediaSupport {
  canPlayType(type: string): string;
  isTypeSupported?: (type: string) => boolean;
}

/** The verdict for one video. */
export type Playability =
  | { kind: "playable" }
  /** The header could not be read (no codecs): only trying tells. */
  | { kind: "unknown" }
  | { kind: "unsupported"; message: string };

/** Readable names of the codec families, keyed by the RFC 6381 prefix. */
const CODEC_NAMES: Record<string, { name: string; kind: "video" | "audio" }> = {
  avc1: { name: "H.264", kind: "video" },
  avc3: { name: "H.264", kind: "video" },
  hvc1: { name: "HEVC", kind: "video" },
  hev1: { name: "HEVC", kind: "video" },
  vp8: { name: "VP8", kind: "video" },
  vp9: { name: "VP9", kind: "video" },
  vp09: { name: "VP9", kind: "video" },
  av01: { name: "AV1", kind: "video" },
  mp4a: { name: "AAC", kind: "audio" },
  opus: { name: "Opus", kind: "audio" },
  vorbis: { name: "Vorbis", kind: "audio" },
  flac: { name: "FLAC", kind: "audio" },
  "ac-3": { name: "AC-3", kind: "audio" },
  "ec-3": { name: "E-AC-3", kind: "audio" },
};

/** The readable name of an RFC 6381 codec value (`hvc1.1.6.L93.B0` → `HEVC`). */
export function codecName(codec: string): string {
  const prefix = codec.split(".")[0]?.toLowerCase() ?? codec;
  return CODEC_NAMES[prefix]?.name ?? codec;
}

/**
 * The MIME type the browser is asked about: QuickTime files carry the same codecs as MP4 and
 * browsers answer "" for `video/quicktime` even when they play the file, so ask as MP4.
 */
function containerOf(contentType: string): string {
  return contentType === "video/quicktime" ? "video/mp4" : contentType;
}

/** True when either browser question says the codec can be decoded in that container. */
function isSupported(support: MediaSupport, container: string, codec: string): boolean {
  const type = `${container}; codecs="${codec}"`;
  return support.canPlayType(type) !== "" || support.isTypeSupported?.(type) === true;
}

/**
 * Whether `video` can be decoded by `support` (this browser: `browserMediaSupport()`);
 * `unsupported` names the codecs that cannot, in the words the library row and the player show.
 */
export function canPlay(
  video: Pick<VideoInfo, "contentType" | "media">,
  support: MediaSupport | undefined,
): Playability {
  const codecs = [video.media?.videoCodec, video.media?.audioCodec].filter(
    (codec): codec is string => typeof codec === "string" && codec !== "",
  );
  if (support === undefined || codecs.length === 0) {
    return { kind: "unknown" };
  }
  const container = containerOf(video.contentType);
  const missing = codecs.filter((codec) => !isSupported(support, container, codec));
  if (missing.length === 0) {
    return { kind: "playable" };
  }
  const names = missing.map((codec) => {
    const known = CODEC_NAMES[codec.split(".")[0]?.toLowerCase() ?? ""];
    return `${codecName(codec)} ${known?.kind ?? (codec === video.media?.audioCodec ? "audio" : "video")}`;
  });
  return {
    kind: "unsupported",
    message: `This browser cannot play ${names.join(" or ")}; download it or open it in a player that can (such as VLC or mpv).`,
  };
}

let browserSupport: MediaSupport | null | undefined;

/** This browser's answers, from one detached <video> and `MediaSource`; undefined without a DOM. */
export function browserMediaSupport(): MediaSupport | undefined {
  if (browserSupport === undefined) {
    if (typeof document === "undefined") {
      browserSupport = null;
    } else {
      const probe = document.createElement("video");
      const mediaSource = "MediaSource" in window ? window.MediaSource : undefined;
      browserSupport = {
        canPlayType: (type) => probe.canPlayType(type),
        ...(mediaSource ? { isTypeSupported: (type) => mediaSource.isTypeSupported(type) } : {}),
      };
    }
  }
  return browserSupport ?? undefined;
}
