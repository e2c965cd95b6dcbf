/** A pino logger that writes into an array, so tests can read exactly what was logged. */
import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

/** A logger at `info` and the parsed JSON lines it has written so far. */
export function createMemoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() !== "") {
          const parsed: unknown = JSON.parse(line);
          if (typeof parsed === "object" && parsed !== null) {
            lines.push({ ...parsed });
          }
        }
      }
      callback();
    },
  });
  return { logger: pino({ level: "info", base: undefined }, sink), lines };
}
