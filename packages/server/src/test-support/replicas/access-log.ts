/** Reads nginx's JSON access log (the `reel_json` format of `nginx-conf.ts`). */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** One finished request as nginx logged it. */
export const NginxAccessEntrySchema = z.object({
  /** ISO 8601 local time the request ended. */
  time: z.string(),
  /** The request line, `GET /api/video/a.mp4 HTTP/1.1`. */
  request: z.string(),
  /** Status sent to the client. */
  status: z.number(),
  /** Body bytes sent to the client. */
  bytes: z.number(),
  /** The client's `Range` header, `""` when there was none. */
  range: z.string(),
  /**
   * Every replica tried, in order, `"127.0.0.1:P1, 127.0.0.1:P2"` (a failover lists several);
   * `""` when none was (nginx answered itself).
   */
  upstream: z.string(),
  /** Their answers in the same order (`"502, 206"`: a failed connection counts as 502). */
  upstreamStatus: z.string(),
  /** Seconds from the first byte of the request to the last byte sent. */
  seconds: z.number(),
});

/** One line of the access log. */
export type NginxAccessEntry = z.infer<typeof NginxAccessEntrySchema>;

/**
 * Every request logged in `path` so far, oldest first. nginx writes a line when a response ends
 * (also one cut off), unbuffered. Throws when the file cannot be read or a line is not the format.
 */
export function readNginxAccessLog(path: string): NginxAccessEntry[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => NginxAccessEntrySchema.parse(JSON.parse(line)));
}

/** The replica that finally answered: the last address of `upstream` (after any failover). */
export function finalUpstream(entry: NginxAccessEntry): string | undefined {
  return entry.upstream === "" ? undefined : entry.upstream.split(", ").at(-1);
}
