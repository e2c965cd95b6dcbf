/** The end of a log file, to put in an error message. */
import { readFileSync } from "node:fs";

/** The last `lines` lines of `path` (blank lines dropped), or a note when it cannot be read. */
export function tailOfLog(path: string, lines = 25): string {
  try {
    const text = readFileSync(path, "utf8");
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-lines)
      .join("\n");
  } catch (error) {
    return `(no log at ${path}: ${error instanceof Error ? error.message : String(error)})`;
  }
}
