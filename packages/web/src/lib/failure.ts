import { ReelApiError } from "./reel";

/** What the UI should show for a failed SDK call. */
export type Failure =
  | { kind: "aborted" }
  | { kind: "unreachable"; url: string; detail: string }
  | { kind: "not-found"; detail: string }
  | { kind: "error"; detail: string };

// 502/503/504 come from a proxy in front of the API (the Vite dev proxy answers 502 when the
// API is down), so for the player they mean the same as a refused connection.
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * Sorts an error thrown by an SDK call into the states the player shows; `serverUrl` (the API's
 * base URL) is named when nothing answered, since a network error carries no URL.
 */
export function classifyFailure(error: unknown, serverUrl: string): Failure {
  if (error instanceof DOMException && error.name === "AbortError") {
    return { kind: "aborted" };
  }
  if (error instanceof ReelApiError) {
    if (error.status === 404) {
      return { kind: "not-found", detail: error.detail };
    }
    if (GATEWAY_STATUSES.has(error.status)) {
      return { kind: "unreachable", url: error.url || serverUrl, detail: error.detail };
    }
    return { kind: "error", detail: `${error.status}: ${error.detail}` };
  }
  // fetch rejects with a TypeError ("Failed to fetch") when nothing answers at all.
  if (error instanceof TypeError) {
    return { kind: "unreachable", url: serverUrl, detail: error.message };
  }
  return { kind: "error", detail: error instanceof Error ? error.message : String(error) };
}
