/**
 * Reads `MediaInfo` from a WebM (Matroska) header with the `ebml` decoder: the EBML header,
 * then `Segment` › `Info` (Duration × TimecodeScale) and `Tracks` (CodecID, CodecPrivate,
 * PixelWidth/PixelHeight). Both come before the first `Cluster` in what muxers write, so the
 * reader stops there, or after `MAX_HEADER_BYTES` (Matroska spec, RFC 9559 §5.1).
 */
import type { TagMetadata } from "ebml";
import type { MediaInfo } from "../openapi/schemas.js";
import type { ReadBytes } from "./boxes.js";

const CHUNK_BYTES = 16 * 1024; // bytes per ranged read
const MAX_HEADER_BYTES = 1024 * 1024; // bytes; Info and Tracks take a few hundred in practice
const DEFAULT_TIMECODE_SCALE = 1_000_000; // nanoseconds per tick (RFC 9559 §5.1.2.1)

/** One `TrackEntry` as far as the facts need it. */
interface MatroskaTrack {
  type: number;
  codecId: string;
  codecPrivate: Buffer | undefined;
  width: number | undefined;
  height: number | undefined;
}

/** What the header said, filled in as elements arrive. */
interface MatroskaHeader {
  docType: string | undefined;
  timecodeScale: number;
  durationTicks: number | undefined;
  tracks: MatroskaTrack[];
  /** Tracks ended or the first Cluster began: nothing later is read. */
  complete: boolean;
}

const TRACK_TYPE_VIDEO = 1;
const TRACK_TYPE_AUDIO = 2;

/**
 * The media facts of a WebM file of `size` bytes, or `null` when its header does not parse as
 * Matroska with a video or audio track. Reads at most `MAX_HEADER_BYTES`.
 */
export async function readMatroskaInfo(read: ReadBytes, size: number): Promise<MediaInfo | null> {
  const header: MatroskaHeader = {
    docType: undefined,
    timecodeScale: DEFAULT_TIMECODE_SCALE,
    durationTicks: undefined,
    tracks: [],
    complete: false,
  };
  // Loaded on the first WebM (~14 MB resident that an MP4-only library never pays).
  const { Decoder } = await import("ebml");
  const decoder = new Decoder();
  let failed = false;
  let track: MatroskaTrack | undefined;
  decoder.on("error", () => {
    failed = true;
  });
  decoder.on("data", ([kind, tag]) => {
    if (kind === "start" && tag.name === "TrackEntry") {
      track = {
        type: 0,
        codecId: "",
        codecPrivate: undefined,
        width: undefined,
        height: undefined,
      };
    } else if (kind === "end" && tag.name === "TrackEntry" && track !== undefined) {
      header.tracks.push(track);
      track = undefined;
    } else if ((kind === "end" && tag.name === "Tracks") || tag.name === "Cluster") {
      header.complete = true;
    } else if (kind === "tag") {
      applyTag(header, track, tag);
    }
  });
  const limit = Math.min(size, MAX_HEADER_BYTES);
  for (let position = 0; position < limit && !header.complete && !failed; ) {
    const end = Math.min(limit, position + CHUNK_BYTES) - 1;
    const bytes = await read(position, end);
    if (bytes.length === 0) {
      break;
    }
    try {
      decoder.write(bytes);
    } catch {
      failed = true; // the decoder throws on an invalid element ID or size
    }
    position += bytes.length;
  }
  decoder.removeAllListeners(); // dropped unfinished: only the header was wanted
  return failed || (header.docType !== "webm" && header.docType !== "matroska")
    ? null
    : toMediaInfo(header);
}

/** Records one leaf element in `header` (or in the `TrackEntry` being read). */
function applyTag(
  header: MatroskaHeader,
  track: MatroskaTrack | undefined,
  tag: TagMetadata & { value?: unknown; data?: Buffer },
): void {
  const { value } = tag;
  switch (tag.name) {
    case "DocType":
      header.docType = typeof value === "string" ? value : undefined;
      return;
    case "TimecodeScale":
      header.timecodeScale = typeof value === "number" && value > 0 ? value : header.timecodeScale;
      return;
    case "Duration":
      header.durationTicks = typeof value === "number" && value > 0 ? value : undefined;
      return;
  }
  if (track === undefined) {
    return;
  }
  switch (tag.name) {
    case "TrackType":
      track.type = typeof value === "number" ? value : 0;
      return;
    case "CodecID":
      track.codecId = typeof value === "string" ? value : "";
      return;
    case "CodecPrivate":
      track.codecPrivate = tag.data;
      return;
    case "PixelWidth":
      track.width = typeof value === "number" ? value : undefined;
      return;
    case "PixelHeight":
      track.height = typeof value === "number" ? value : undefined;
      return;
  }
}

function toMediaInfo(header: MatroskaHeader): MediaInfo | null {
  const video = header.tracks.find((track) => track.type === TRACK_TYPE_VIDEO);
  const audio = header.tracks.find((track) => track.type === TRACK_TYPE_AUDIO);
  if (video === undefined && audio === undefined) {
    return null;
  }
  const seconds = ((header.durationTicks ?? 0) * header.timecodeScale) / 1e9;
  return {
    durationSeconds: Math.round(seconds * 1000) / 1000,
    width: video?.width ?? null,
    height: video?.height ?? null,
    rotation: 0, // WebM has no display matrix that browsers apply
    videoCodec: video === undefined ? null : codecOf(video),
    audioCodec: audio === undefined ? null : codecOf(audio),
    faststart: true, // Info and Tracks lead the file; playback never needs its end first
  };
}

/**
 * The RFC 6381-style `codecs` value of a Matroska track, as `canPlayType('video/webm;
 * codecs="…"')` takes it: `vp8`, `vp9`, `av01.P.LLT.DD` (from the `av1C` in CodecPrivate),
 * `opus`, `vorbis`; an unknown CodecID is passed on as it is.
 */
export function codecOf(track: Pick<MatroskaTrack, "codecId" | "codecPrivate">): string {
  switch (track.codecId) {
    case "V_VP8":
      return "vp8";
    case "V_VP9":
      return "vp9";
    case "V_AV1":
      return av1CodecOf(track.codecPrivate);
    case "A_OPUS":
      return "opus";
    case "A_VORBIS":
      return "vorbis";
    case "A_AAC":
      return "mp4a.40.2";
    case "A_FLAC":
      return "flac";
    case "V_MPEG4/ISO/AVC":
      return avcCodecOf(track.codecPrivate);
    default:
      return track.codecId;
  }
}

/** `av01.P.LLT.DD` from an `av1C` record (AV1-ISOBMFF §2.3.3, §5); `av01` without one. */
function av1CodecOf(av1C: Buffer | undefined): string {
  if (av1C === undefined || av1C.length < 4) {
    return "av01";
  }
  const profile = av1C.readUInt8(1) >> 5;
  const level = av1C.readUInt8(1) & 0x1f;
  const flags = av1C.readUInt8(2);
  const tier = flags & 0x80 ? "H" : "M";
  const bitDepth = flags & 0x40 ? (flags & 0x20 ? 12 : 10) : 8;
  return `av01.${profile}.${String(level).padStart(2, "0")}${tier}.${String(bitDepth).padStart(2, "0")}`;
}

/** `avc1.PPCCLL` from an `avcC` record (ISO/IEC 14496-15 §5.3.3.1); `avc1` without one. */
function avcCodecOf(avcC: Buffer | undefined): string {
  if (avcC === undefined || avcC.length < 4) {
    return "avc1";
  }
  return `avc1.${avcC.subarray(1, 4).toString("hex")}`;
}
