/** `GET /api/videos` (one page of the library) and `GET /api/videos/{filename}` (one video). */
import type Router from "@koa/router";
import { HttpError } from "../http/errors.js";
import { decodeSegment } from "../http/path-segment.js";
import { parseRequestPart } from "../http/validate.js";
import type { Library } from "../library/library.js";
import { CursorError } from "../library/page.js";
import { ListVideosQuerySchema, VideoParamsSchema } from "../openapi/schemas.js";
import { StorageUnavailableError, type VideoStore } from "../storage/store.js";

const PREFIX = "/api/videos/";

/** Mounts the listing routes; mount `registerEventRoutes` first so `/api/videos/events` wins. */
export function registerVideosRoutes(
  router: Router,
  deps: { library: Library; store: VideoStore },
): void {
  const { library, store } = deps;
  // The catalogue is the store's last known state: while the store is down it would list videos
  // that cannot be streamed, so both routes answer 503 instead (error-handler.ts).
  const assertAvailable = () => {
    if (!store.available) {
      throw new StorageUnavailableError(store.location, undefined);
    }
  };

  router.get("/api/videos", async (ctx) => {
    const query = parseRequestPart(ListVideosQuerySchema, ctx.query, "query");
    await library.whenReady();
    assertAvailable();
    try {
      ctx.body = library.list(query);
    } catch (error: unknown) {
      if (error instanceof CursorError) {
        throw new HttpError(400, `Invalid query parameter cursor: ${error.message}`);
      }
      throw error;
    }
    ctx.set("Cache-Control", "no-cache");
  });

  router.get("/api/videos/:filename", async (ctx) => {
    const { filename } = parseRequestPart(
      VideoParamsSchema,
      { filename: decodeSegment(ctx.path.slice(PREFIX.length)) },
      "path",
    );
    await library.whenReady();
    assertAvailable();
    const info = library.get(filename);
    if (info === undefined) {
      throw new HttpError(404, `Video not found: ${filename}`);
    }
    ctx.body = info;
    ctx.set("Cache-Control", "no-cache");
  });
}
