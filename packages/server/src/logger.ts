/** The pino logger; silent in tests so they stay quiet. */
import { type DestinationStream, type Logger, pino } from "pino";
import { z } from "zod";
import type { Config } from "./config.js";

const LogLineSchema = z.record(z.string(), z.unknown());

/** A JSON logger at the configured level, to stdout or to `destination`. */
export function createLogger(level: Config["logLevel"], destination?: DestinationStream): Logger {
  return destination === undefined
    ? pino({ level, base: undefined })
    : pino({ level, base: undefined }, destination);
}

/** Writes one JSON line that another pino logger wrote (a cluster worker's) into `logger`. */
export function relayLogLine(logger: Logger, line: string): void {
  let parsed: z.infer<typeof LogLineSchema>;
  try {
    parsed = LogLineSchema.parse(JSON.parse(line));
  } catch {
    return;
  }
  const { level, time: _time, msg, ...fields } = parsed;
  const message = typeof msg === "string" ? msg : undefined;
  switch (level) {
    case 10:
      logger.trace(fields, message);
      return;
    case 20:
      logger.debug(fields, message);
      return;
    case 30:
      logger.info(fields, message);
      return;
    case 40:
      logger.warn(fields, message);
      return;
    case 50:
      logger.error(fields, message);
      return;
    default:
      logger.fatal(fields, message);
      return;
  }
}
