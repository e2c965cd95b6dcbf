/** A pino logger that writes into an array, so tests can read exactly what was logged. */
import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

type Line = Record<string, unknown>;

/** A logger at `info`, the parsed JSON lines it has written so far, and a way to await one. */
export interface MemoryLogger {
  logger: Logger;
  lines: Line[];
  /** Resolves with the first line in `lines`, now or once written, that matches `predicate`. */
  waitForLine(predicate: (line: Line) => boolean): Promise<Line>;
}

/** A logger that keeps what it writes in memory. */
export function createMemoryLogger(): MemoryLogger {
  const lines: Line[] = [];
  const waiters = new Set<() => void>();
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
      for (const wake of waiters) {
        wake();
      }
      callback();
    },
  });
  const waitForLine = (predicate: (line: Line) => boolean) =>
    new Promise<Line>((resolve) => {
      const check = () => {
        const match = lines.find(predicate);
        if (match !== undefined) {
          waiters.delete(check);
          resolve(match);
        }
      };
      waiters.add(check);
      check();
    });
  return { logger: pino({ level: "info", base: undefined }, sink), lines, waitForLine };
}
