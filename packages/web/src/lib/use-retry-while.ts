import { useEffect } from "react";

/** How long to wait before trying again while the server is unreachable, in ms. */
export const RETRY_DELAY_MS = 3000;

/**
 * Calls `retry` once `RETRY_DELAY_MS` after `failing` becomes true, and again after each retry
 * that leaves it true (the caller's state changes with each attempt). The one retry loop the
 * library and the player share.
 */
export function useRetryWhile(failing: boolean, retry: () => void): void {
  useEffect(() => {
    if (!failing) {
      return;
    }
    const timer = setTimeout(retry, RETRY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [failing, retry]);
}
