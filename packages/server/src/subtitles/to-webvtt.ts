/**
 * A sidecar's text as WebVTT: a `.vtt` as it is, an `.srt` converted by the `subtitle` library
 * (its parser reads SubRip's `,` milliseconds, CRLF and numbering; its WebVTT writer emits the
 * `WEBVTT` header and `.` milliseconds).
 */

/** The converter, loaded on the first `.srt` (~10 MB resident that a library without SRT never pays). */
const converter = () => import("subtitle");

/**
 * WebVTT text of a sidecar in `format`. A leading byte order mark is dropped (Windows editors
 * write one; WebVTT allows it but the SRT parser would read it as part of the first cue number).
 * @throws the parser's error when an `.srt` cannot be parsed.
 */
export async function toWebVtt(text: string, format: "vtt" | "srt"): Promise<string> {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (format === "vtt") {
    return body;
  }
  const { parseSync, stringifySync } = await converter();
  return stringifySync(parseSync(body), { format: "WebVTT" });
}
