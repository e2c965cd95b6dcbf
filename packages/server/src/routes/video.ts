/**
 * `GET|HEAD /api/video/{filename}`: read the request, open the video in the store, ask the pure
 * cores (conditional, range, multipart planning) what to answer, set status and headers, then
 * hand the body to `sendBody` once. The handle is owned by exactly one party at a time: this
 * route until the hand-off (released here on a 412 or 416), `sendBody` after it.
 */
import type Router from "@koa/router";
import type { ParameterizedContext } from "koa";
import type { Config } from "../config.js";
import { evaluateConditionals, type Validators } from "../http/conditional.js";
import { HttpError } from "../http/errors.js";
import { planMultipart } from "../http/multipart.js";
import { decodeSegment } from "../http/path-segment.js";
import { parseRange, type RangeResult } from "../http/range.js";
import { type PlannedBody, sendBody } from "../http/send-body.js";
import { parseRequestPart } from "../http/validate.js";
import { StreamHeadersSchema, VideoParamsSchema } from "../openapi/schemas.js";
import { contentTypeOf } from "../storage/names.js";
import { RepresentationChangedError, type VideoHandle, type VideoStore } from "../storage/store.js";

/** The route path, as registered in the OpenAPI document (`{filename}` there). */
const VIDEO_ROUTE = "/api/video/:filename";
const PREFIX = "/api/video/";
const FULL: RangeResult = { kind: "full" };
const NO_BODY: PlannedBody = { kind: "none" };
// Ranges up to this size (or up to CHUNK_SIZE, if larger) are read with one positional read and
// sent as a Buffer: no stream machinery per request, which W3/W4 (10 KB ranges) measured as a
// gain; memory stays bounded by one chunk per request, as with a stream.
const SMALL_BODY = 64 * 1024; // bytes
// The 412 detail names the header that failed, so a download client knows why it was refused.
const PRECONDITION_DETAILS = {
  "if-match": (filename: string) =>
    `Precondition failed: ${filename} has no current ETag listed in If-Match`,
  "if-unmodified-since": (filename: string) =>
    `Precondition failed: ${filename} was modified after If-Unmodified-Since`,
} as const satisfies Record<string, (filename: string) => string>;

type Settings = Pick<Config, "chunkSize" | "cacheControl">;
type StreamHeaders = ReturnType<typeof StreamHeadersSchema.parse>;

/** Mounts the stream route (GET, and HEAD through @koa/router's automatic HEAD) on `router`. */
export function registerVideoRoutes(
  router: Router,
  deps: { config: Settings; store: VideoStore },
): void {
  const { cacheControl } = deps.config;
  const { store } = deps;
  const bodyOptions = { smallBody: Math.max(SMALL_BODY, deps.config.chunkSize) };

  router.get(VIDEO_ROUTE, async (ctx) => {
    const { filename } = parseRequestPart(
      VideoParamsSchema,
      { filename: decodeSegment(ctx.path.slice(PREFIX.length)) },
      "path",
    );
    const headers = parseRequestPart(StreamHeadersSchema, ctx.headers, "header");
    // First from the store's last listing when it has one (an object store then needs no HEAD
    // per request). Those facts may be one poll old, so they may only back an answer whose bytes
    // are read with the version check: a single range or the whole file. Anything answered from
    // the facts alone (HEAD, 304, 412, 416, an empty body) or several parts, and a read that
    // finds the version gone before a byte was sent, is decided again from fresh facts.
    for (const fresh of [false, true]) {
      const video = await store.open(filename, { fresh });
      if (video === undefined) {
        throw new HttpError(404, `Video not found: ${filename}`);
      }
      let body: PlannedBody;
      try {
        body = decide(ctx, video, headers, cacheControl);
      } catch (error: unknown) {
        video.release();
        if (video.fresh || !(error instanceof HttpError)) {
          throw error;
        }
        continue;
      }
      if (!video.fresh && body.kind !== "range") {
        video.release();
        clearDecision(ctx);
        continue;
      }
      try {
        await sendBody(ctx, video, body, bodyOptions);
        return;
      } catch (error: unknown) {
        // Nothing sent yet and the bytes ran out (a file rewritten in place, an object replaced):
        // once more from what the store holds now, whatever store it is.
        if (fresh || !(error instanceof RepresentationChangedError) || ctx.headerSent) {
          throw error;
        }
        clearDecision(ctx);
      }
    }
  });
}

/** Undoes what `decide` set that the next decision might not set again. */
function clearDecision(ctx: ParameterizedContext): void {
  ctx.remove("Content-Range");
}

/** Sets status and headers for `video` and returns the body to send; throws 412 and 416. */
function decide(
  ctx: ParameterizedContext,
  video: VideoHandle,
  headers: StreamHeaders,
  cacheControl: string,
): PlannedBody {
  const { size } = video;
  const validators: Validators = { etag: video.etag, lastModified: video.lastModified };
  // §13.2.2: preconditions (412), then cache validation (304), then If-Range, then Range.
  const conditions = evaluateConditionals(headers, validators, Date.now());
  if (conditions.kind === "precondition-failed") {
    throw new HttpError(412, PRECONDITION_DETAILS[conditions.failed](video.name));
  }
  const type = contentTypeOf(video.name);
  if (conditions.kind === "not-modified") {
    // 304 with the same entity headers a 200 would carry (SPEC); sendBody ends it itself, as
    // koa strips Content-Type from every empty-status response.
    ctx.status = 304;
    setEntityHeaders(ctx, validators, type, cacheControl);
    return NO_BODY;
  }
  const range =
    headers.range !== undefined && conditions.honourRange ? parseRange(headers.range, size) : FULL;
  if (range.kind === "unsatisfiable") {
    throw new HttpError(416, `Invalid request range (Range:'${headers.range ?? ""}')`, {
      "Content-Range": `bytes */${size}`,
    });
  }
  setEntityHeaders(ctx, validators, type, cacheControl);
  const isHead = ctx.method === "HEAD";

  if (range.kind === "multipart") {
    const plan = planMultipart(range.ranges, size, type);
    ctx.status = 206;
    ctx.set("Content-Type", plan.contentType);
    ctx.length = plan.length;
    return isHead ? NO_BODY : { kind: "multipart", plan };
  }
  const start = range.kind === "partial" ? range.start : 0;
  const end = range.kind === "partial" ? range.end : size - 1;
  if (range.kind === "partial") {
    ctx.status = 206;
    ctx.set("Content-Range", `bytes ${start}-${end}/${size}`);
  } else {
    ctx.status = 200;
  }
  const length = end - start + 1;
  ctx.length = length;
  return isHead || length <= 0 ? NO_BODY : { kind: "range", start, end };
}

function setEntityHeaders(
  ctx: ParameterizedContext,
  validators: Validators,
  type: string,
  cacheControl: string,
): void {
  ctx.set("Content-Type", type);
  ctx.set("Accept-Ranges", "bytes");
  ctx.set("Content-Encoding", "identity");
  ctx.set("ETag", validators.etag);
  ctx.set("Last-Modified", validators.lastModified);
  ctx.set("Cache-Control", cacheControl);
}
