/**
 * Reads `MediaInfo` from an MP4's header with mp4box, feeding it only `ftyp` + `moov` (never
 * `mdat`), so probing a 4 GB file costs a few small reads plus the size of its `moov`.
 */
import { createFile, Log, type Movie, MP4BoxBuffer } from "mp4box";
import type { MediaInfo } from "../openapi/schemas.js";
import { type ReadBytes, readTopLevelLayout } from "./boxes.js";

const MAX_MOOV_BYTES = 64 * 1024 * 1024; // bytes; hours of video have moov boxes of a few MB

// mp4box logs every box it reads at its default level; errors only (it has no "silent" level).
Log.setLogLevel(Log.error);

/**
 * The media facts of the video `name` of `size` bytes, read through `read` (a store handle's
 * ranged read), or `null` when its header cannot be parsed.
 */
export async function readMediaInfo(
  name: string,
  size: number,
  read: ReadBytes,
): Promise<MediaInfo | null> {
  if (name.toLowerCase().endsWith(".webm")) {
    return null; // Matroska, not ISO BMFF: mp4box cannot read it
  }
  try {
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
    const movie = parseMovie(Buffer.concat(chunks));
    return movie === undefined ? null : toMediaInfo(movie, layout.moovBeforeMdat);
  } catch {
    return null;
  }
}

/** Runs mp4box over `ftyp`+`moov` laid end to end; box offsets inside `moov` are not needed for facts. */
function parseMovie(header: Buffer): Movie | undefined {
  const file = createFile();
  let movie: Movie | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  // `slice` copies into a standalone ArrayBuffer, as mp4box keeps a reference to what it is given.
  const arrayBuffer = header.buffer.slice(header.byteOffset, header.byteOffset + header.byteLength);
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(arrayBuffer, 0));
  file.flush();
  return movie;
}

function toMediaInfo(movie: Movie, faststart: boolean): MediaInfo | null {
  const video = movie.videoTracks[0];
  const audio = movie.audioTracks[0];
  if (video === undefined && audio === undefined) {
    return null;
  }
  const duration =
    movie.timescale > 0 && movie.duration > 0
      ? movie.duration / movie.timescale
      : (movie.fragment_duration?.num ?? 0) / (movie.fragment_duration?.den || 1);
  return {
    durationSeconds: Math.round(duration * 1000) / 1000,
    width: video?.video?.width ?? null,
    height: video?.video?.height ?? null,
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
    faststart,
  };
}
