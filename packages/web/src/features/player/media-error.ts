// MediaError codes, HTML Living Standard §4.8.11.1 (the numbers are fixed by the spec).
const CODE_NAMES: Record<number, string> = {
  1: "MEDIA_ERR_ABORTED",
  2: "MEDIA_ERR_NETWORK",
  3: "MEDIA_ERR_DECODE",
  4: "MEDIA_ERR_SRC_NOT_SUPPORTED",
};

const EXPLANATIONS: Record<number, string> = {
  1: "Loading was aborted.",
  2: "The network failed while loading the video.",
  3: "The browser could not decode the video (a damaged file or an unsupported codec).",
  4: "The browser cannot play this file: its format or codec is not supported, or the file is not a valid video.",
};

/** A MediaError as the player shows it. */
export interface MediaErrorText {
  title: string;
  explanation: string;
  message: string;
}

/** Turns a MediaError into words: the code's name, what it means, and the browser's message. */
export function describeMediaError(error: Pick<MediaError, "code" | "message">): MediaErrorText {
  return {
    title: `${CODE_NAMES[error.code] ?? "MEDIA_ERR_UNKNOWN"} (${error.code})`,
    explanation: EXPLANATIONS[error.code] ?? "Playback failed.",
    message: error.message,
  };
}
