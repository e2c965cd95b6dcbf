/**
 * `GET /api/videos/events`: the live library as Server-Sent Events. The response is handed to the
 * shared `EventHub`; a connection costs one entry in its set, no timer and no watcher of its own.
 */
import type Router from "@koa/router";
import type { EventHub } from "../events/event-hub.js";
import { parseRequestPart } from "../http/validate.js";
import { EventsHeadersSchema } from "../openapi/schemas.js";

/** Mounts the event stream; must be registered before `/api/videos/:filename`. */
export function registerEventRoutes(router: Router, deps: { hub: EventHub }): void {
  const { hub } = deps;

  router.get("/api/videos/events", (ctx) => {
    const headers = parseRequestPart(
      EventsHeadersSchema,
      { "last-event-id": ctx.get("Last-Event-ID") || undefined },
      "header",
    );
    ctx.status = 200;
    // Koa would end the response after the middleware chain; the hub owns it from here on.
    ctx.respond = false;
    const response = ctx.res;
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      // HTTP/2 forbids connection-specific fields (RFC 9113 §8.2.2): Node drops it with a warning.
      ...(ctx.req.httpVersionMajor < 2 ? { Connection: "keep-alive" } : {}),
      "X-Accel-Buffering": "no", // nginx: pass events through instead of buffering them
    });
    if (ctx.method === "HEAD") {
      response.end();
      return;
    }
    ctx.req.socket.setNoDelay(true);
    ctx.req.socket.setKeepAlive(true);
    hub.attach(response, headers["last-event-id"]);
  });
}
