/**
 * The one error type the helpers throw for an HTTP failure. openapi-fetch returns errors as
 * values (`{ data } | { error }`); the helpers turn them into this so callers write one `try`.
 */

/** What a `ReelApiError` is built from. */
export interface ReelApiErrorInit {
  status: number;
  detail: string;
  method: string;
  url: string;
}

/** An HTTP failure: the server's status and its `{"detail"}` text, plus the request it answered. */
export class ReelApiError extends Error {
  /** The HTTP status, e.g. 404. */
  readonly status: number;
  /** The server's `detail` text, e.g. `Video not found: a.mp4`. */
  readonly detail: string;
  /** The request method, e.g. `GET`. */
  readonly method: string;
  /** The absolute request URL. */
  readonly url: string;

  constructor(init: ReelApiErrorInit) {
    // The message is the detail alone, so a UI can show `error.message` as it is.
    super(init.detail);
    this.name = "ReelApiError";
    this.status = init.status;
    this.detail = init.detail;
    this.method = init.method;
    this.url = init.url;
  }
}

/**
 * Reads a `detail` out of an openapi-fetch `error` value. Reel always sends `{"detail"}`, but a
 * proxy in between may answer with HTML or nothing, so any shape is accepted.
 */
export function readDetail(error: unknown, response: Response): string {
  if (typeof error === "object" && error !== null && "detail" in error) {
    const { detail } = error;
    if (typeof detail === "string") {
      return detail;
    }
  }
  if (typeof error === "string" && error.trim() !== "") {
    return error.trim();
  }
  return response.statusText || `HTTP ${response.status}`;
}

/**
 * Builds the `ReelApiError` for a failed openapi-fetch call. `response.url` is the URL actually
 * fetched (after redirects); an injected fetch may return a `Response` without one, hence `url`.
 */
export function toReelApiError(
  error: unknown,
  response: Response,
  request: { method: string; url: string },
): ReelApiError {
  return new ReelApiError({
    status: response.status,
    detail: readDetail(error, response),
    method: request.method,
    url: response.url || request.url,
  });
}
