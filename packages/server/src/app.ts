/**
 * Builds the Koa app from its dependencies and never listens (koa separates `callback()` from
 * `listen()` the same way). `compose.ts` builds those dependencies; this file only mounts routes.
 */
import cors from "@koa/cors";
import Router from "@koa/router";
import Koa from "koa";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { EventHub } from "./events/event-hub.js";
import type { MediaExtras } from "./extras/media-extras.js";
import { createAccessLog } from "./http/access-log.js";
import { createErrorHandler } from "./http/error-handler.js";
import type { Library } from "./library/library.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerExtrasRoutes } from "./routes/extras.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerOpenApiRoutes } from "./routes/openapi.js";
import { createPlayerMiddleware } from "./routes/player.js";
import { registerVideoRoutes } from "./routes/video.js";
import { registerVideosRoutes } from "./routes/videos.js";
import type { VideoStore } from "./storage/store.js";

/** Exposed so browsers can read range and validator headers on cross-origin media fetches. */
const EXPOSED_HEADERS = [
  "Content-Range",
  "Content-Length",
  "Accept-Ranges",
  "Content-Type",
  "Content-Encoding",
  "ETag",
  "Last-Modified",
];

/** What the app needs from the outside world. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Where the videos live; the stream route reads through it. */
  store: VideoStore;
  /** The catalogue of the store, for the listing, describe and health routes. */
  library: Library;
  /** The live-library fan-out of the events route. */
  hub: EventHub;
  /** Rendered posters and previews, for their routes and the health route. */
  extras: MediaExtras;
  /** The built web player (`index.html` + `assets/`), served at `/` when set. */
  playerDir?: string | undefined;
}

/** The Koa app with every route mounted. */
export function createApp(deps: AppDeps): Koa {
  const { config, logger } = deps;
  const app = new Koa();
  app.silent = true; // errors are logged by the error handler, not by koa's default printer
  // Errors koa sees outside the middleware chain (a disk read failing mid-body) reach only this
  // listener: the response has started, so all we can do is log it; koa destroys the socket.
  app.on("error", (error: unknown, ctx?: Koa.Context) => {
    logger.error({ err: error, method: ctx?.method, url: ctx?.url }, "response stream error");
  });
  const allowed = new Set(config.corsOrigins);

  app.use(createAccessLog(logger));
  const corsHeaders = cors({
    origin: (ctx) => {
      const origin = ctx.get("Origin");
      return allowed.has("*") || allowed.has(origin) ? origin : "";
    },
    allowMethods: ["GET", "HEAD", "OPTIONS"],
    allowHeaders: [
      "Range",
      "If-Range",
      "If-Match",
      "If-Unmodified-Since",
      "If-None-Match",
      "If-Modified-Since",
      "Last-Event-ID",
      "Content-Type",
    ],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    keepHeadersOnError: true,
  });
  app.use((ctx, next) => {
    // A request without Origin is not a CORS request (Fetch §3.2): @koa/cors would only add
    // `Vary: Origin` and pass on, through two more async frames per request. Same answer, less work.
    if (ctx.get("Origin") === "") {
      ctx.vary("Origin");
      return next();
    }
    return corsHeaders(ctx, next);
  });
  app.use(createErrorHandler(logger));

  const router = new Router();
  // Routes are registered by their modules: routes/video.ts, routes/videos.ts, ...
  registerVideoRoutes(router, deps);
  // The event stream first: `/api/videos/events` would otherwise match `/api/videos/:filename`.
  registerEventRoutes(router, deps);
  registerVideosRoutes(router, deps);
  registerExtrasRoutes(router, deps);
  registerHealthRoutes(router, deps);
  registerOpenApiRoutes(router);
  app.use(router.routes());
  app.use(router.allowedMethods());
  if (deps.playerDir !== undefined) {
    // After the API: only what no route matched reaches the player, and never `/api/*`.
    app.use(createPlayerMiddleware(deps.playerDir));
  }
  return app;
}
