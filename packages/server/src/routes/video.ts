/**
 * `GET|HEAD /api/video/{filename}`: read the request, ask the pure cores (range, conditional,
 * multipart) what to send, then do the I/O. The request holds one reference on a shared, cached
 * descriptor (files/descriptor-cache.ts), handed to exactly one owner that releases it: the body
 * stream (when it ends, fails or is destroyed), the small-body read, or the 304/HEAD/error path.
 */
import type Router from "@koa/router";
import type { ParameterizedContext } from "koa";
import type { Config } from "../config.js";
import type { VideoFiles, VideoHandle } from "../files/descriptor-cache.js";
import { sendRange } from "../files/send-range.js";
import { readAt } from "../files/video-directory.js";
import { evaluateConditionals, type Validators } from "../http/conditional.js";
import { HttpError } from "../http/errors.js";
import { planMultipart, streamMultipart } from "../http/multipart.js";
import { parseRange, type RangeResult } from "../http/range.js";
import { parseRequestPart } from "../http/validate.js";
import {
  CONTENT_TYPES,
  StreamHeadersSchema,
  servedExtensionOf,
  VideoParamsSchema,
} from "../openapi/schemas.js";

/** The route path, as registered in the OpenAPI document (`{filename}` there). */
export const VIDEO_ROUTE = "/api/video/:filename";
const PREFIX = "/api/video/";
const FULL: RangeResult = { kind: "full" };
const EMPTY = Buffer.alloc(0);
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

type Settings = Pick<Config, "videoDir" | "chunkSize" | "cacheControl">;
type StreamHeaders = ReturnType<typeof StreamHeadersSchema.parse>;

/** Mounts the stream route (GET, and HEAD through @koa/router's automatic HEAD) on `router`. */
export function registerVideoRoutes(
  router: Router,
  deps: { config: Settings; files: VideoFiles },
): void {
  const { chunkSize, cacheControl } = deps.config;
  const { files } = deps;
  const smallBody = Math.max(SMALL_BODY, chunkSize);

  router.get(VIDEO_ROUTE, async (ctx) => {
    const { filename } = parseRequestPart(
      VideoParamsSchema,
      { filename: decodeSegment(ctx.path.slice(PREFIX.length)) },
      "path",
    );
    const headers = parseRequestPart(StreamHeadersSchema, ctx.headers, "header");
    const video = await files.acquire(filename);
    if (video === undefined) {
      throw new HttpError(404, `Video not found: ${filename}`);
    }
    try {
      // A name that passed FilenameSchema always has a served extension.
      const type = CONTENT_TYPES[servedExtensionOf(filename) ?? ".mp4"];
      await respond(ctx, video, headers, { filename, type, chunkSize, cacheControl, smallBody });
    } catch (error: unknown) {
      video.release();
      throw error;
    }
  });
}

/**
 * Percent-decodes the raw path segment exactly once. @koa/router would hand back the raw text
 * when decoding fails, which would turn `%ff.mp4` (invalid UTF-8) into a valid-looking name.
 */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `Invalid filename: ${raw}`);
  }
}

interface Representation {
  filename: string;
  type: string;
  chunkSize: number;
  cacheControl: string;
  /** Largest body read at once into a Buffer instead of streamed. */
  smallBody: number;
}

/** Sets status, headers and body for a video; takes ownership of its reference (`release`). */
async function respond(
  ctx: ParameterizedContext,
  video: VideoHandle,
  headers: StreamHeaders,
  representation: Representation,
): Promise<void> {
  const { size, fd, release } = video;
  const validators: Validators = { etag: video.etag, lastModified: video.lastModified };
  // §13.2.2: preconditions (412), then cache validation (304), then If-Range, then Range.
  const conditions = evaluateConditionals(headers, validators, Date.now());
  if (conditions.kind === "precondition-failed") {
    throw new HttpError(412, PRECONDITION_DETAILS[conditions.failed](representation.filename));
  }
  if (conditions.kind === "not-modified") {
    release();
    sendNotModified(ctx, validators, representation);
    return;
  }
  const range =
    headers.range !== undefined && conditions.honourRange ? parseRange(headers.range, size) : FULL;
  if (range.kind === "unsatisfiable") {
    throw new HttpError(416, `Invalid request range (Range:'${headers.range ?? ""}')`, {
      "Content-Range": `bytes */${size}`,
    });
  }
  setEntityHeaders(ctx, validators, representation);
  const isHead = ctx.method === "HEAD";
  const { chunkSize } = representation;

  if (range.kind === "multipart") {
    const plan = planMultipart(range.ranges, size, representation.type);
    ctx.status = 206;
    ctx.set("Content-Type", plan.contentType);
    if (isHead) {
      release();
    } else {
      ctx.body = streamMultipart(plan, (at, length) => readAt(fd, at, length), chunkSize, release);
    }
    ctx.length = plan.length;
    return;
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
  if (isHead || length <= 0) {
    release(); // HEAD, or an empty file: no bytes to read
    if (!isHead) {
      ctx.body = EMPTY;
    }
  } else if (length <= representation.smallBody) {
    let body: Buffer;
    try {
      body = await readAt(fd, start, length);
    } finally {
      release();
    }
    if (body.length !== length) {
      // Truncated since it was stat'ed: never send fewer bytes than Content-Length promises.
      throw new Error(`${video.path} shrank below byte ${end} while being read`);
    }
    ctx.body = body;
  } else {
    // The body bypasses koa's responder (status and headers are already on `ctx.res`):
    // `sendRange` owns the reference from here and releases it when the transfer ends, fails
    // or the client goes away.
    ctx.length = length;
    ctx.respond = false;
    sendRange(ctx.res, fd, start, end, chunkSize, release);
    return;
  }
  ctx.length = length;
}

function setEntityHeaders(
  ctx: ParameterizedContext,
  validators: Validators,
  representation: Representation,
): void {
  ctx.set("Content-Type", representation.type);
  ctx.set("Accept-Ranges", "bytes");
  ctx.set("Content-Encoding", "identity");
  ctx.set("ETag", validators.etag);
  ctx.set("Last-Modified", validators.lastModified);
  ctx.set("Cache-Control", representation.cacheControl);
}

/**
 * 304 with the same entity headers a 200 would carry (SPEC). Koa strips Content-Type from every
 * empty-status response, so this one answer bypasses koa's responder and ends the response itself.
 */
function sendNotModified(
  ctx: ParameterizedContext,
  validators: Validators,
  representation: Representation,
): void {
  ctx.status = 304;
  setEntityHeaders(ctx, validators, representation);
  ctx.respond = false;
  ctx.res.end();
}
