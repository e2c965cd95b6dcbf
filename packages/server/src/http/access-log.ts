/** One structured pino line per request, written when the response is finished or aborted. */
import type { Middleware } from "koa";
import type { Logger } from "pino";

/** Logs method, path, status, bytes sent, the Range asked for and the time taken. */
export function createAccessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const startedAt = performance.now();
    const socket = ctx.req.socket;
    const bytesBefore = socket.bytesWritten;
    ctx.res.once("close", () => {
      if (!logger.isLevelEnabled("info")) {
        return;
      }
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
    await next();
  };
}
