/**
 * Polls a readiness condition. The deadline only guards against a hang; success is decided by
 * the condition itself, never by how long we waited.
 */
import { setTimeout as delay } from "node:timers/promises";

/** How to poll: the overall deadline (epoch ms), the pause between tries, and what we wait for. */
export interface WaitOptions {
  /** Absolute deadline, `Date.now()` milliseconds. */
  deadline: number;
  /** Pause between two tries, in milliseconds. */
  intervalMs: number;
  /** Names the condition in the timeout error ("the OSD to be up"). */
  what: string;
}

/**
 * Calls `check` until it returns a value other than `undefined`, and returns that value.
 * `check` may throw to abort the wait (a daemon died, say). Throws `Error` when the deadline
 * passes first; the message names `options.what` and the last value `describe` gave.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined>,
  options: WaitOptions,
  describe: () => string = () => "",
): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() + options.intervalMs > options.deadline) {
      const detail = describe();
      throw new Error(`Timed out waiting for ${options.what}${detail ? ` (${detail})` : ""}`);
    }
    await delay(options.intervalMs);
  }
}
