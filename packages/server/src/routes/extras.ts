/**
 * The extras of a video: `GET|HEAD /api/videos/{filename}/poster.jpg`, `/previews.vtt`,
 * `/previews/{sheet}.jpg` and `/subtitles/{lang}.vtt`. Each answers for the version of the video
 * in the library now, with a strong ETag derived from that version and 304 on `If-None-Match`.
 *
 * `Cache-Control: no-cache`: the URLs stay the same when a video is replaced (the contract keeps
 * them stable for the player), so a browser may keep a copy but must revalidate it; the ETag
 * makes that a bodiless 304. `immutable` or a long `max-age` would show an old poster for the new
 * video.
 */
import { createHash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";
import type Router from "@koa/router";
import type { ParameterizedContext } from "koa";
import type { MediaExtras } from "../extras/media-extras.js";
import { HttpError } from "../http/errors.js";
import { decodeSegment } from "../http/path-segment.js";
import { parseRequestPart } from "../http/validate.js";
import type { Library } from "../library/library.js";
import { SheetParamsSchema, SubtitleParamsSchema, VideoParamsSchema } from "../openapi/schemas.js";
import type { VideoStore } from "../storage/store.js";
import { toWebVtt } from "../subtitles/to-webvtt.js";

const CACHE_CONTROL = "no-cache";
const VTT = "text/vtt; charset=utf-8";

// Raw (still percent-encoded) segments; each is decoded exactly once by `decodeSegment`.
const POSTER = /^\/api\/videos\/([^/]+)\/poster\.jpg$/;
const PREVIEWS = /^\/api\/videos\/([^/]+)\/previews\.vtt$/;
const SHEET = /^\/api\/videos\/([^/]+)\/previews\/([^/]+)\.jpg$/;
const SUBTITLE = /^\/api\/videos\/([^/]+)\/subtitles\/([^/]+)\.vtt$/;

/** What the extras routes read. */
interface ExtrasDeps {
  library: Library;
  store: VideoStore;
  extras: MediaExtras;
}

/** A strong ETag for `artifact` of one video version: changes whenever the video does. */
function artifactEtag(videoEtag: string, name: string, artifact: string): string {
  const digest = createHash("sha256").update(`${videoEtag}\n${name}\n${artifact}`).digest();
  return `"${digest.toString("base64url").slice(0, 27)}"`;
}

/** The segments `pattern` captures from the raw path (the router matched it already). */
function segmentsOf(ctx: ParameterizedContext, pattern: RegExp): string[] {
  const match = pattern.exec(ctx.path);
  return (match?.slice(1) ?? []).map((segment) => decodeSegment(segment));
}

/** Sets the validators; true when the client's copy is current (the caller answers 304). */
function isFresh(ctx: ParameterizedContext, etag: string, type: string): boolean {
  ctx.status = 200;
  ctx.set("ETag", etag);
  ctx.set("Cache-Control", CACHE_CONTROL);
  ctx.set("Content-Type", type);
  if (ctx.fresh) {
    ctx.status = 304; // koa strips the body headers of a 304
    return true;
  }
  return false;
}

/** The current version of `filename`; 404 when it is not in the library. */
async function versionOf(library: Library, filename: string): Promise<string> {
  await library.whenReady();
  const etag = library.versionOf(filename);
  if (etag === undefined) {
    throw new HttpError(404, `Video not found: ${filename}`);
  }
  return etag;
}

/** Sends a JPEG of the cache: opened first, so a file removed meanwhile is a 404, not a 500. */
async function sendJpeg(
  ctx: ParameterizedContext,
  path: string | undefined,
  etag: string,
  notReady: string,
): Promise<void> {
  let file: FileHandle;
  try {
    if (path === undefined) {
      throw new Error("not rendered");
    }
    file = await open(path, "r");
  } catch {
    throw new HttpError(404, notReady);
  }
  try {
    const { size } = await file.stat();
    if (isFresh(ctx, etag, "image/jpeg")) {
      await file.close();
      return;
    }
    ctx.length = size;
    if (ctx.method === "HEAD") {
      await file.close();
      return;
    }
    ctx.body = file.createReadStream(); // closes the handle when it ends or is destroyed
  } catch (error: unknown) {
    await file.close();
    throw error;
  }
}

/** Mounts the extras routes (GET, and HEAD through @koa/router's automatic HEAD). */
export function registerExtrasRoutes(router: Router, deps: ExtrasDeps): void {
  const { library, store, extras } = deps;

  router.get("/api/videos/:filename/poster.jpg", async (ctx) => {
    const [raw = ""] = segmentsOf(ctx, POSTER);
    const { filename } = parseRequestPart(VideoParamsSchema, { filename: raw }, "path");
    const version = await versionOf(library, filename);
    await sendJpeg(
      ctx,
      extras.posterFile(filename, version),
      artifactEtag(version, filename, "poster"),
      `Poster not ready: ${filename}`,
    );
  });

  router.get("/api/videos/:filename/previews.vtt", async (ctx) => {
    const [raw = ""] = segmentsOf(ctx, PREVIEWS);
    const { filename } = parseRequestPart(VideoParamsSchema, { filename: raw }, "path");
    const version = await versionOf(library, filename);
    const track = extras.previewTrack(filename, version);
    if (track === undefined) {
      throw new HttpError(404, `Previews not ready: ${filename}`);
    }
    if (!isFresh(ctx, artifactEtag(version, filename, "previews"), VTT)) {
      ctx.body = track;
      ctx.set("Content-Type", VTT); // koa would guess text/plain from a string body
    }
  });

  router.get("/api/videos/:filename/previews/:sheet.jpg", async (ctx) => {
    const [rawName = "", rawSheet = ""] = segmentsOf(ctx, SHEET);
    const { filename, sheet } = parseRequestPart(
      SheetParamsSchema,
      { filename: rawName, sheet: rawSheet },
      "path",
    );
    const version = await versionOf(library, filename);
    await sendJpeg(
      ctx,
      extras.sheetFile(filename, version, sheet),
      artifactEtag(version, filename, `sheet-${sheet}`),
      `Preview sheet not ready: ${filename} (${sheet})`,
    );
  });

  router.get("/api/videos/:filename/subtitles/:lang.vtt", async (ctx) => {
    const [rawName = "", rawLang = ""] = segmentsOf(ctx, SUBTITLE);
    const { filename, lang } = parseRequestPart(
      SubtitleParamsSchema,
      { filename: rawName, lang: rawLang },
      "path",
    );
    await versionOf(library, filename);
    const source = library.subtitleSource(filename, lang);
    const content = source === undefined ? undefined : await store.readSidecar(source.sidecar);
    if (source === undefined || content === undefined) {
      throw new HttpError(404, `Subtitles not found: ${filename} (${lang})`);
    }
    const etag = artifactEtag(content.etag, source.sidecar, `subtitles-${source.format}`);
    if (!isFresh(ctx, etag, VTT)) {
      ctx.body = await toWebVtt(content.text, source.format);
      ctx.set("Content-Type", VTT);
    }
  });
}
