/** The `{filename}` path segment of the video routes, decoded exactly once. */
import { HttpError } from "./errors.js";

/**
 * Percent-decodes the raw path segment exactly once. @koa/router would hand back the raw text
 * when decoding fails, which would turn `%ff.mp4` (invalid UTF-8) into a valid-looking name.
 * @throws {HttpError} 400 `Invalid filename: <raw>` when the segment is not valid UTF-8.
 */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `Invalid filename: ${raw}`);
  }
}
