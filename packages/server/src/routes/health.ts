/** `GET /api/health`: liveness plus the size of the library. */
import type Router from "@koa/router";
import type { Library } from "../library/library.js";
import type { Health } from "../openapi/schemas.js";

/** Mounts the health route. */
export function registerHealthRoutes(router: Router, deps: { library: Library }): void {
  router.get("/api/health", async (ctx) => {
    await deps.library.whenReady();
    const body: Health = { status: "ok", videos: deps.library.count };
    ctx.body = body;
    ctx.set("Cache-Control", "no-store");
  });
}
