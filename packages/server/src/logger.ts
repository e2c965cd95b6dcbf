/** The pino logger; silent in tests so they stay quiet. */
import { type Logger, pino } from "pino";
import type { Config } from "./config.js";

/** A JSON logger at the configured level. */
export function createLogger(level: Config["logLevel"]): Logger {
  return pino({ level, base: undefined });
}
