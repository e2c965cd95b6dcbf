/**
 * Registers every route with its zod schemas. `document.ts` turns this registry into the
 * OpenAPI 3.1 document that is served at /openapi.json and committed as the root openapi.yaml.
 */
import { OpenAPIRegistry, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import {
  ArtifactHeadersSchema,
  EventsHeadersSchema,
  HealthSchema,
  LibraryEventSchema,
  ListVideosQuerySchema,
  ProblemSchema,
  SheetParamsSchema,
  StreamHeadersSchema,
  SubtitleParamsSchema,
  VideoInfoSchema,
  VideoListSchema,
  VideoParamsSchema,
} from "./schemas.js";
import { z } from "./zod.js";

/** Every schema and route of the HTTP API, registered for the OpenAPI generator. */
export const registry = new OpenAPIRegistry();
registry.register("Problem", ProblemSchema);
registry.register("VideoInfo", VideoInfoSchema);
registry.register("LibraryEvent", LibraryEventSchema);

function problem(description: string, example: string): ResponseConfig {
  return {
    description,
    content: { "application/json": { schema: ProblemSchema, example: { detail: example } } },
  };
}

const BAD_FILENAME = problem(
  "The filename breaks the naming rules.",
  "Invalid filename: ../etc/passwd",
);
const NOT_FOUND = problem(
  "No regular file of that name in the video directory.",
  "Video not found: missing.mp4",
);

const SAMPLE_VIDEO = {
  filename: "sample_final.mp4",
  size: 132313,
  modifiedAt: "2026-11-25T02:03:18.345Z",
  etag: '"416p~1k8872qu9"',
  contentType: "video/mp4",
  url: "/api/video/sample_final.mp4",
  media: {
    durationSeconds: 10,
    width: 320,
    height: 180,
    rotation: 0,
    videoCodec: "avc1.64000c",
    audioCodec: "mp4a.40.2",
    faststart: true,
  },
  poster: "/api/videos/sample_final.mp4/poster.jpg",
  previews: "/api/videos/sample_final.mp4/previews.vtt",
  subtitles: [
    { lang: "en", label: "English", url: "/api/videos/sample_final.mp4/subtitles/en.vtt" },
  ],
} as const;

const binary = z.string().openapi({ type: "string", format: "binary" });
const videoBody = {
  "video/mp4": { schema: binary },
  "video/webm": { schema: binary },
  "video/quicktime": { schema: binary },
};

/** A response header; `required` when every response of that status carries it. */
const header = (description: string, example: string, required = true) => ({
  schema: { type: "string" as const, example },
  description,
  required,
});
const STORAGE_UNAVAILABLE = {
  ...problem(
    "The object store cannot be reached (`VIDEO_STORE`); retry after `Retry-After` seconds.",
    "Storage unavailable",
  ),
  headers: { "Retry-After": header("Seconds to wait before retrying.", "5") },
};

const ENTITY_HEADERS = {
  "Accept-Ranges": header("Always `bytes`.", "bytes"),
  "Content-Length": header("Bytes in this body.", "132313"),
  "Content-Encoding": header("Always `identity`: video is never re-compressed.", "identity"),
  ETag: header(
    "Strong validator from size, modification time, inode and change time: it changes with any replacement, also one that keeps the size and the old mtime.",
    '"416p~1k8872qu9"',
  ),
  "Last-Modified": header("Modification time of the file.", "Wed, 25 Nov 2026 02:03:00 GMT"),
  "Cache-Control": header("From `CACHE_CONTROL`, default `no-cache`.", "no-cache"),
};

const streamRequest = { params: VideoParamsSchema, headers: StreamHeadersSchema };
const streamResponses = (withBodies: boolean): Record<number, ResponseConfig> => ({
  200: {
    description: "The whole file (no `Range`, an ignored `Range`, or a stale `If-Range`).",
    headers: ENTITY_HEADERS,
    ...(withBodies ? { content: videoBody } : {}),
  },
  206: {
    description:
      "Partial content: one range with `Content-Range`, or several as `multipart/byteranges`.",
    headers: {
      ...ENTITY_HEADERS,
      "Content-Range": header(
        "The range sent, `bytes start-end/size`. Absent on `multipart/byteranges`, where each part carries its own (RFC 9110 §14.6).",
        "bytes 0-1023/132313",
        false,
      ),
    },
    ...(withBodies
      ? {
          content: {
            ...videoBody,
            "multipart/byteranges": { schema: binary },
          },
        }
      : {}),
  },
  304: {
    description: "Not modified: `If-None-Match` or `If-Modified-Since` matched.",
    headers: {
      ETag: ENTITY_HEADERS.ETag,
      "Last-Modified": ENTITY_HEADERS["Last-Modified"],
    },
  },
  400: BAD_FILENAME,
  404: NOT_FOUND,
  412: {
    description:
      "Precondition failed: `If-Match` listed no current ETag (strong comparison), or the file was modified after `If-Unmodified-Since` (RFC 9110 §13.1.1, §13.1.4).",
    content: {
      "application/json": {
        schema: ProblemSchema,
        example: {
          detail: "Precondition failed: sample_final.mp4 has no current ETag listed in If-Match",
        },
      },
    },
  },
  503: STORAGE_UNAVAILABLE,
  416: {
    description: "Range not satisfiable.",
    headers: { "Content-Range": header("`bytes */size`.", "bytes */132313") },
    content: {
      "application/json": {
        schema: ProblemSchema,
        example: { detail: "Invalid request range (Range:'bytes=999999-')" },
      },
    },
  },
});

registry.registerPath({
  method: "get",
  path: "/api/video/{filename}",
  operationId: "streamVideo",
  summary: "Stream a video, whole or by byte ranges",
  description:
    "RFC 9110 range requests: single, suffix and multiple ranges, `If-Range`, conditional GET and preconditions, evaluated in the order of §13.2.2 (`If-Match`, else `If-Unmodified-Since` → 412; `If-None-Match`, else `If-Modified-Since` → 304; then `If-Range`). `bytes=0-` answers 206 with the whole file. Ranges past the end are clamped; empty list elements are ignored and one invalid range-spec makes the header invalid (416); over 16 ranges or more bytes than the file answer 200.",
  tags: ["videos"],
  request: streamRequest,
  responses: streamResponses(true),
});

registry.registerPath({
  method: "head",
  path: "/api/video/{filename}",
  operationId: "headVideo",
  summary: "The headers a GET of the video would send, without a body",
  tags: ["videos"],
  request: streamRequest,
  responses: streamResponses(false),
});

registry.registerPath({
  method: "get",
  path: "/api/videos",
  operationId: "listVideos",
  summary: "List the library, searched, sorted and paginated",
  tags: ["library"],
  request: { query: ListVideosQuerySchema },
  responses: {
    200: {
      description: "One page of videos.",
      content: {
        "application/json": {
          schema: VideoListSchema,
          example: { items: [SAMPLE_VIDEO], nextCursor: null, total: 1 },
        },
      },
    },
    400: problem(
      "A query parameter is invalid, or `cursor` does not decode.",
      "Invalid query parameter limit: must be 1–500",
    ),
    503: STORAGE_UNAVAILABLE,
  },
});

registry.registerPath({
  method: "get",
  path: "/api/videos/events",
  operationId: "watchVideos",
  summary: "Live library: Server-Sent Events for added, changed and removed videos",
  description:
    "`text/event-stream` (WHATWG Server-Sent Events). The stream opens with `retry: 2000` and a bare `id: <current id>` (no `data:`, so no event is dispatched, but the client's last event id is set). Then each change is one frame: `id: <boot>-<seq>`, `event: added|changed|removed|reset`, and one JSON `data:` line shaped as `LibraryEvent.data` (`VideoInfo` for added/changed, `{filename}` for removed, `{reason}` for reset). A file is announced once its size and mtime have been still for `STABLE_MS` (default 1000 ms). Reconnect with `Last-Event-ID` to receive the missed events in order (the last 1,000 are kept); an unknown or too-old id gets one `reset` event: list the library again. A `: ping` comment is sent every 15 s.",
  tags: ["library"],
  request: { headers: EventsHeadersSchema },
  responses: {
    200: {
      description:
        'An endless stream of library events. On the wire: `id: 67c2833e-7\nevent: removed\ndata: {"filename":"old.mp4"}\n\n`.',
      content: {
        "text/event-stream": {
          schema: LibraryEventSchema,
          example: { id: "67c2833e-7", event: "removed", data: { filename: "old.mp4" } },
        },
      },
    },
    400: problem(
      "`Last-Event-ID` is longer than 64 characters.",
      "Invalid header parameter last-event-id: Too big: expected string to have <=64 characters",
    ),
  },
});

registry.registerPath({
  method: "get",
  path: "/api/videos/{filename}",
  operationId: "getVideo",
  summary: "One video's facts",
  tags: ["library"],
  request: { params: VideoParamsSchema },
  responses: {
    200: {
      description: "The video.",
      content: { "application/json": { schema: VideoInfoSchema, example: SAMPLE_VIDEO } },
    },
    400: BAD_FILENAME,
    404: NOT_FOUND,
    503: STORAGE_UNAVAILABLE,
  },
});

registry.registerPath({
  method: "get",
  path: "/api/health",
  operationId: "getHealth",
  summary: "Liveness and the number of videos",
  tags: ["health"],
  responses: {
    200: {
      description:
        "Reel is up and its store answers. While the first scan of the library runs, `scanning` says how far it is.",
      content: {
        "application/json": {
          schema: HealthSchema,
          example: { status: "ok", videos: 3, extras: { enabled: true, reason: null, pending: 0 } },
        },
      },
    },
    503: problem(
      "Reel is up but its object store cannot be reached; it serves again by itself once the store answers.",
      "Storage unavailable: s3://videos/library does not answer",
    ),
  },
});

/** One extras route: what it serves, its media type, its params and what its 404 says. */
interface ExtrasRoute {
  path: string;
  operation: string;
  summary: string;
  description: string;
  mediaType: "image/jpeg" | "text/vtt";
  params: typeof VideoParamsSchema | typeof SheetParamsSchema | typeof SubtitleParamsSchema;
  notFound: string;
  example?: string;
}

const EXTRAS_HEADERS = {
  ETag: header(
    "Strong validator of this artifact of the current version of the video (of the sidecar, for subtitles).",
    '"Vt1nq7rR0m3bU0WmQxWJr8B0ScF"',
  ),
  "Cache-Control": header(
    "`no-cache`: keep it, but revalidate (a bodiless 304): the URL stays the same when the video is replaced.",
    "no-cache",
  ),
};

const EXTRAS_ROUTES: ExtrasRoute[] = [
  {
    path: "/api/videos/{filename}/poster.jpg",
    operation: "Poster",
    summary: "The video's poster (JPEG)",
    description:
      "A representative frame (taken about a tenth into the video, never a black first frame), at most 640 px wide. 404 until it is rendered, when extras are disabled, or when rendering failed: `VideoInfo.poster` is `null` then.",
    mediaType: "image/jpeg",
    params: VideoParamsSchema,
    notFound: "Poster not ready: sample_final.mp4",
  },
  {
    path: "/api/videos/{filename}/previews.vtt",
    operation: "Previews",
    summary: "The video's seek-preview track (WebVTT thumbnails)",
    description:
      "One cue per preview frame (one every 1–10 s, at most ~100), whose text is `/api/videos/{filename}/previews/{sheet}.jpg#xywh=x,y,w,h`: the tile of a sprite sheet (160 px wide), the format Vidstack and Plyr read. 404 like the poster.",
    mediaType: "text/vtt",
    params: VideoParamsSchema,
    notFound: "Previews not ready: sample_final.mp4",
    example:
      "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n/api/videos/sample_final.mp4/previews/0.jpg#xywh=0,0,160,90\n",
  },
  {
    path: "/api/videos/{filename}/previews/{sheet}.jpg",
    operation: "PreviewSheet",
    summary: "One sprite sheet of preview tiles (JPEG)",
    description:
      "Up to 5 × 5 tiles, row by row, as the previews track's cues address them. 404 like the poster, or for a sheet past the last.",
    mediaType: "image/jpeg",
    params: SheetParamsSchema,
    notFound: "Preview sheet not ready: sample_final.mp4 (0)",
  },
  {
    path: "/api/videos/{filename}/subtitles/{lang}.vtt",
    operation: "Subtitles",
    summary: "One sidecar subtitle track, as WebVTT",
    description:
      "From `NAME.LANG.vtt` (as it is) or `NAME.LANG.srt` (converted to WebVTT); `und` for `NAME.vtt` / `NAME.srt`. Listed in `VideoInfo.subtitles`.",
    mediaType: "text/vtt",
    params: SubtitleParamsSchema,
    notFound: "Subtitles not found: sample_final.mp4 (fr)",
    example: "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello\n",
  },
];

for (const route of EXTRAS_ROUTES) {
  for (const method of ["get", "head"] as const) {
    const body =
      method === "get"
        ? {
            content: {
              [route.mediaType]: {
                schema: route.mediaType === "image/jpeg" ? binary : z.string(),
                ...(route.example === undefined ? {} : { example: route.example }),
              },
            },
          }
        : {};
    registry.registerPath({
      method,
      path: route.path,
      operationId: `${method}${route.operation}`,
      summary: method === "get" ? route.summary : `Headers of: ${route.summary}`,
      description: route.description,
      tags: ["extras"],
      request: { params: route.params, headers: ArtifactHeadersSchema },
      responses: {
        200: {
          description: "The artifact.",
          headers: { ...EXTRAS_HEADERS, "Content-Length": ENTITY_HEADERS["Content-Length"] },
          ...body,
        },
        304: { description: "Not modified: `If-None-Match` matched.", headers: EXTRAS_HEADERS },
        400: problem("A path parameter breaks its rules.", "Invalid filename: ../etc/passwd"),
        404: problem(
          "No such video, or this artifact is not there (not rendered yet, extras disabled, rendering failed, no such track).",
          route.notFound,
        ),
        503: STORAGE_UNAVAILABLE,
      },
    });
  }
}
