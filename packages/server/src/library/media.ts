/**
 * Reads `MediaInfo` from a video's header. ISO BMFF (`.mp4`, `.m4v`, `.mov`) goes through mp4box,
 * fed only `ftyp` + `moov` (never `mdat`), so probing a 4 GB file costs a few small reads plus
 * the size of its `moov`; a fragmented file adds its segment index or last fragment. WebM goes
 * through the Matroska reader. Every read goes through the store handle's ranged `read`.
 */
import { createFile, Log, type Movie, MP4BoxBuffer, type Track } from "mp4box";
import type { MediaInfo } from "../openapi/schemas.js";
import { type ReadBytes, readTopLevelLayout } from "./boxes.js";
import { type FragmentTrack, readFragmentedDuration } from "./fragments.js";
import { readMatroskaInfo } from "./matroska.js";

const MAX_MOOV_BYTES = 64 * 1024 * 1024; // bytes; hours of video have moov boxes of a few MB

// mp4box logs every box it reads at its default level; errors only (it has no "silent" level).
Log.setLogLevel(Log.error);

/**
 * The media facts of the video `name` of `size` bytes, read through `read` (a store handle's
 * ranged read), or `null` when its header cannot be parsed. Never throws.
 */
export async function readMediaInfo(
  name: string,
  size: number,
  read: ReadBytes,
): Promise<MediaInfo | null> {
  try {
    if (name.toLowerCase().endsWith(".webm")) {
      return await readMatroskaInfo(read, size);
    }
    return await readIsoMediaInfo(read, size);
  } catch {
    return null;
  }
}

/** `MediaInfo` of an ISO BMFF file (MP4, M4V, QuickTime), or `null`. */
async function readIsoMediaInfo(read: ReadBytes, size: number): Promise<MediaInfo | null> {
  const layout = await readTopLevelLayout(read, size);
  if (layout?.moov === undefined || layout.moov.size > MAX_MOOV_BYTES) {
    return null;
  }
  const parts = layout.ftyp === undefined ? [layout.moov] : [layout.ftyp, layout.moov];
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = await read(part.start, part.start + part.size - 1);
    if (bytes.length !== part.size) {
      return null;
    }
    chunks.push(bytes);
  }
  const parsed = parseMovie(Buffer.concat(chunks));
  if (parsed === undefined) {
    return null;
  }
  const { movie, trackDefaults } = parsed;
  let duration = movieDuration(movie);
  if (movie.isFragmented && !hasFragmentDuration(movie)) {
    // Without `mehd` the movie header only counts the samples inside `moov` (often none).
    const tracks = new Map<number, FragmentTrack>(
      movie.tracks.map((track) => [
        track.id,
        { timescale: track.timescale, defaultSampleDuration: trackDefaults.get(track.id) ?? 0 },
      ]),
    );
    duration = (await readFragmentedDuration(read, size, layout.sidx, tracks)) ?? duration;
  }
  return toMediaInfo(movie, duration, layout.moovBeforeMdat);
}

interface ParsedMovie {
  movie: Movie;
  /** `trex` default sample duration per track ID (ticks). */
  trackDefaults: Map<number, number>;
}

/** Runs mp4box over `ftyp`+`moov` laid end to end; box offsets inside `moov` are not needed for facts. */
function parseMovie(header: Buffer): ParsedMovie | undefined {
  const file = createFile();
  let movie: Movie | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  // `slice` copies into a standalone ArrayBuffer, as mp4box keeps a reference to what it is given.
  const arrayBuffer = header.buffer.slice(header.byteOffset, header.byteOffset + header.byteLength);
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(arrayBuffer, 0));
  file.flush();
  if (movie === undefined) {
    return undefined;
  }
  const trackDefaults = new Map<number, number>(
    (file.moov?.mvex?.trexs ?? []).map((trex) => [trex.track_id, trex.default_sample_duration]),
  );
  return { movie, trackDefaults };
}

/** True when `mvex` carries a `mehd` with a fragment duration. */
function hasFragmentDuration(movie: Movie): boolean {
  return (movie.fragment_duration?.num ?? 0) > 0 && (movie.fragment_duration?.den ?? 0) > 0;
}

/** The duration in seconds from `mehd` (fragmented) or `mvhd`; 0 when neither says. */
function movieDuration(movie: Movie): number {
  if (movie.isFragmented && hasFragmentDuration(movie)) {
    return (movie.fragment_duration?.num ?? 0) / (movie.fragment_duration?.den || 1);
  }
  return movie.timescale > 0 && movie.duration > 0 ? movie.duration / movie.timescale : 0;
}

/**
 * The clockwise display rotation of a track, from its `tkhd` matrix (ISO/IEC 14496-12 §6.2.2:
 * `a = cos θ`, `b = sin θ` in 16.16 fixed point), snapped to quarter turns.
 */
export function rotationOfMatrix(matrix: ArrayLike<number>): MediaInfo["rotation"] {
  // mp4box may hand the matrix as unsigned words; `| 0` restores the signed 16.16 values.
  const a = (matrix[0] ?? 0x10000) | 0;
  const b = (matrix[1] ?? 0) | 0;
  const degrees = Math.round(Math.atan2(b, a) / (Math.PI / 2)) * 90;
  const rotation = (degrees + 360) % 360;
  return rotation === 90 || rotation === 180 || rotation === 270 ? rotation : 0;
}

function toMediaInfo(movie: Movie, duration: number, faststart: boolean): MediaInfo | null {
  const video: Track | undefined = movie.videoTracks[0];
  const audio: Track | undefined = movie.audioTracks[0];
  if (video === undefined && audio === undefined) {
    return null;
  }
  const rotation = video === undefined ? 0 : rotationOfMatrix(video.matrix);
  const codedWidth = video?.video?.width ?? null;
  const codedHeight = video?.video?.height ?? null;
  const turned = rotation === 90 || rotation === 270;
  return {
    durationSeconds: Math.round(duration * 1000) / 1000,
    width: turned ? codedHeight : codedWidth,
    height: turned ? codedWidth : codedHeight,
    rotation,
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
    faststart,
  };
}
