/** One structured pino line per request, written when the response is finished or aborted. */
import type { Middleware } from "koa";
import type { Logger } from "pino";

/** Logs method, path, status, bytes sent, the Range asked for and the time taken. */
export function createAccessLog(logger: Logger): Middleware {
  // Not async: a middleware that only passes on returns `next()`'s promise instead of wrapping it.
  return (ctx, next) => {
    // Asked per request, so a level changed at run time takes effect; with the log off (the
    // bench runs LOG_LEVEL=silent, as a busy deployment may) a request pays for nothing else here.
    if (!logger.isLevelEnabled("info")) {
      return next();
    }
    const startedAt = performance.now();
    const socket = ctx.req.socket;
    const bytesBefore = socket.bytesWritten;
    ctx.res.once("close", () => {
      logger.info({
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        bytes: socket.bytesWritten - bytesBefore,
        range: ctx.get("Range") || undefined,
        aborted: !ctx.res.writableFinished,
        ms: Math.round((performance.now() - startedAt) * 100) / 100,
      });
    });
    return next();
  };
}
