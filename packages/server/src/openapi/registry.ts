/**
 * Registers every route with its zod schemas. `document.ts` turns this registry into the
 * OpenAPI 3.1 document that is served at /openapi.json and committed as the root openapi.yaml.
 */
import { OpenAPIRegistry, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import {
  EventsHeadersSchema,
  HealthSchema,
  LibraryEventSchema,
  ListVideosQuerySchema,
  ProblemSchema,
  StreamHeadersSchema,
  VideoInfoSchema,
  VideoListSchema,
  VideoParamsSchema,
} from "./schemas.js";
import { z } from "./zod.js";

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

const binary = z.string().openapi({ type: "string", format: "binary" });
const videoBody = {
  "video/mp4": { schema: binary },
  "video/webm": { schema: binary },
  "video/quicktime": { schema: binary },
};

const header = (description: string, example: string) => ({
  schema: { type: "string" as const, example },
  description,
});
const ENTITY_HEADERS = {
  "Accept-Ranges": header("Always `bytes`.", "bytes"),
  "Content-Length": header("Bytes in this body.", "132313"),
  "Content-Encoding": header("Always `identity`: video is never re-compressed.", "identity"),
  ETag: header("Strong validator from size and modification time.", '"204d9-19ab8f0e2a0"'),
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
      "Content-Range": header("The range sent, `bytes start-end/size`.", "bytes 0-1023/132313"),
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
    "RFC 9110 range requests: single, suffix and multiple ranges, `If-Range`, conditional GET. Ranges past the end are clamped; over 16 ranges or more bytes than the file answer 200.",
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
      content: { "application/json": { schema: VideoListSchema } },
    },
    400: problem("A query parameter is invalid.", "Invalid query parameter limit: must be 1–500"),
  },
});

registry.registerPath({
  method: "get",
  path: "/api/videos/events",
  operationId: "watchVideos",
  summary: "Live library: Server-Sent Events for added, changed and removed videos",
  description:
    "`text/event-stream`. Each event has `event:` (`added`, `changed`, `removed`, `reset`), `id:` and a JSON `data:` line shaped as `LibraryEvent.data`. Reconnect with `Last-Event-ID` to receive missed events; a `reset` means list again. A comment heartbeat is sent every 15 s.",
  tags: ["library"],
  request: { headers: EventsHeadersSchema },
  responses: {
    200: {
      description: "An endless stream of library events.",
      content: {
        "text/event-stream": {
          schema: LibraryEventSchema,
          example: 'id: 7\nevent: removed\ndata: {"filename":"old.mp4"}\n\n',
        },
      },
    },
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
      content: { "application/json": { schema: VideoInfoSchema } },
    },
    400: BAD_FILENAME,
    404: NOT_FOUND,
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
      description: "Reel is up.",
      content: {
        "application/json": { schema: HealthSchema, example: { status: "ok", videos: 3 } },
      },
    },
  },
});
