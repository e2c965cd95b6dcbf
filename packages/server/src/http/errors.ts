/** The one error type handlers throw, and its one wire shape `{"detail": string}` (RFC 9457). */

/** Status codes Reel answers errors with. */
export type ErrorStatus = 400 | 404 | 405 | 412 | 413 | 416 | 500 | 503;

/**
 * An error meant for the client: `detail` is safe to show, `headers` go on the response.
 *
 * It carries no stack trace: it is an answer, never logged as a fault, and capturing one (with
 * the async frames of the middleware chain) was the largest single cost of a 404 — ~15–40 µs of a
 * ~90 µs request (`pnpm bench`, the 404 workload).
 */
export class HttpError extends Error {
  override name = "HttpError";
  readonly status: ErrorStatus;
  readonly detail: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: ErrorStatus, detail: string, headers: Readonly<Record<string, string>> = {}) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = stackTraceLimit;
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }
}

/** True for an `HttpError`, also across module copies (koa's cross-realm lesson, koa#1466). */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (value instanceof Error && value.name === "HttpError" && "detail" in value)
  );
}

/** The JSON body of an error response. */
export function toProblem(detail: string): { detail: string } {
  return { detail };
}
