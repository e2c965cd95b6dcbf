/** Top-of-chain middleware: every error leaves as JSON `{"detail"}`, never as a stack trace. */
import type { Context, Middleware } from "koa";
import type { Logger } from "pino";
import { RepresentationChangedError, StorageUnavailableError } from "../storage/store.js";
import { isHttpError, toProblem } from "./errors.js";

// Seconds a client should wait before asking again when the store cannot be reached.
const STORAGE_RETRY_AFTER_S = 5;

/** Turns thrown `HttpError`s into their response; anything else is logged and answered 500. */
export function createErrorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = toProblem(`Not found: ${ctx.path}`);
      } else if (ctx.status === 405 && ctx.body === undefined) {
        ctx.body = toProblem(`Method not allowed: ${ctx.method}`);
      }
    } catch (error: unknown) {
      if (isHttpError(error)) {
        ctx.status = error.status;
        ctx.set(error.headers);
        ctx.body = toProblem(error.detail);
        return;
      }
      if (error instanceof StorageUnavailableError && !ctx.headerSent) {
        // Never a 500 or a hang: the store is down, not Reel; clients retry after a while.
        logger.warn({ err: error.cause, method: ctx.method, url: ctx.url }, "storage unavailable");
        ctx.status = 503;
        ctx.set("Retry-After", String(STORAGE_RETRY_AFTER_S));
        ctx.body = toProblem("Storage unavailable");
        return;
      }
      if (error instanceof RepresentationChangedError && !ctx.headerSent) {
        // The file changed under two reads in a row (rewritten in place while it was asked for):
        // a race with whoever writes it, not a fault; the next try finds it settled.
        logger.warn({ err: error, method: ctx.method, url: ctx.url }, "video changed while read");
        removeRepresentationHeaders(ctx);
        ctx.status = 503;
        ctx.set("Retry-After", "1");
        ctx.body = toProblem("The video changed while it was being read; try again");
        return;
      }
      logger.error({ err: error, method: ctx.method, url: ctx.url }, "unexpected error");
      if (ctx.headerSent || !ctx.writable) {
        return;
      }
      removeRepresentationHeaders(ctx);
      ctx.status = 500;
      ctx.body = toProblem("Internal server error");
    }
  };
}

/** Headers the route set for the video that an error answer must not carry. */
function removeRepresentationHeaders(ctx: Context): void {
  for (const name of ["Content-Range", "Content-Disposition", "ETag", "Last-Modified"]) {
    ctx.remove(name);
  }
}
