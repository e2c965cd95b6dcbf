/** Finds ffmpeg and ffprobe: `FFMPEG_PATH`, else the first `ffmpeg` on `PATH`; ffprobe beside it. */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** Executables the extras run. */
export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

/** Either the tools, or why the extras are off. */
export type ToolLookup = { found: true; tools: MediaTools } | { found: false; reason: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Looks for the tools once (at start, so sync is fine). `ffmpegPath` is `FFMPEG_PATH` when set;
 * ffprobe must sit in the same directory as ffmpeg (as Debian, Homebrew and the static builds
 * install them), so the two always come from one build.
 */
export function findMediaTools(
  ffmpegPath: string | undefined,
  searchPath: string = process.env.PATH ?? "",
): ToolLookup {
  let ffmpeg = ffmpegPath;
  if (ffmpeg === undefined) {
    ffmpeg = searchPath
      .split(delimiter)
      .filter((dir) => dir !== "")
      .map((dir) => join(dir, "ffmpeg"))
      .find(isExecutable);
    if (ffmpeg === undefined) {
      return { found: false, reason: "ffmpeg was not found on PATH (set FFMPEG_PATH)" };
    }
  } else if (!isExecutable(ffmpeg)) {
    return { found: false, reason: `FFMPEG_PATH ${ffmpeg} is not an executable file` };
  }
  const ffprobe = join(dirname(ffmpeg), "ffprobe");
  if (!isExecutable(ffprobe)) {
    return { found: false, reason: `ffprobe was not found beside ${ffmpeg}` };
  }
  return { found: true, tools: { ffmpeg, ffprobe } };
}
