/** `GET /api/health`: liveness, the size of the library, and whether the store answers. */
import type Router from "@koa/router";
import type { MediaExtras } from "../extras/media-extras.js";
import { HttpError } from "../http/errors.js";
import type { Library } from "../library/library.js";
import type { Health } from "../openapi/schemas.js";
import type { VideoStore } from "../storage/store.js";

/**
 * Mounts the health route: 200 when the store answers, 503 naming the store when it does not.
 * While the first scan runs it answers at once with `scanning: {done, total}` (a library of
 * 10,000 files takes seconds to read), so a supervisor sees the process is up and how far it is.
 */
export function registerHealthRoutes(
  router: Router,
  deps: { library: Library; store: VideoStore; extras: MediaExtras },
): void {
  router.get("/api/health", async (ctx) => {
    const scanning = deps.library.scanning;
    if (scanning === undefined) {
      await deps.library.whenReady();
    }
    ctx.set("Cache-Control", "no-store");
    if (!deps.store.available) {
      throw new HttpError(503, `Storage unavailable: ${deps.store.location} does not answer`);
    }
    const body: Health = {
      status: "ok",
      videos: deps.library.count,
      extras: deps.extras.status(),
      ...(scanning === undefined ? {} : { scanning }),
    };
    ctx.body = body;
  });
}
