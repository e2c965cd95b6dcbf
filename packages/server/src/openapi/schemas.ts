/**
 * Zod schemas for every param, query, header and body of the HTTP API. They validate requests at
 * run time and are registered in `registry.ts` to emit the OpenAPI document: one source of truth.
 */
import { isServableFilename } from "../storage/names.js";
import { z } from "./zod.js";

/** One path segment naming a video, already percent-decoded by the router. */
const FilenameSchema = z
  .string()
  .superRefine((name, ctx) => {
    if (!isServableFilename(name)) {
      ctx.addIssue({ code: "custom", message: `Invalid filename: ${name}` });
    }
  })
  .openapi({
    description:
      "One path segment: 1–255 bytes of UTF-8, no `/`, `\\`, NUL or control characters, not starting with `.`, ending in `.mp4`, `.m4v`, `.webm` or `.mov`. Percent-encode it in the URL.",
    example: "sample_final.mp4",
  });

/** Path parameters of the routes that name one video. */
export const VideoParamsSchema = z.object({
  filename: FilenameSchema.openapi({ param: { name: "filename", in: "path" } }),
});

/** Path parameters of a preview sheet: the video and the sheet's index. */
export const SheetParamsSchema = z.object({
  filename: FilenameSchema.openapi({ param: { name: "filename", in: "path" } }),
  sheet: z
    .string()
    .regex(/^(0|[1-9]\d{0,2})$/, "must be a sheet number (0, 1, …)")
    .transform(Number)
    .openapi({
      param: { name: "sheet", in: "path" },
      description: "Sheet index, 0 first, as the previews track's cues name it.",
      example: "0",
      type: "string",
    }),
});

/** Path parameters of a subtitle track: the video and the track's language. */
export const SubtitleParamsSchema = z.object({
  filename: FilenameSchema.openapi({ param: { name: "filename", in: "path" } }),
  lang: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,35}$/, "must be a BCP 47 language tag or und")
    .openapi({
      param: { name: "lang", in: "path" },
      description: "The track's `lang` from `VideoInfo.subtitles`.",
      example: "en",
    }),
});

/** Conditional request headers of the extras routes (RFC 9110 §13.1.2, §13.1.3). */
export const ArtifactHeadersSchema = z.object({
  "if-none-match": z.string().optional().openapi({
    description: "Answer 304 when the ETag matches (weak comparison), or for `*`.",
  }),
});

/** The body of every error response (RFC 9457's `detail` member). */
export const ProblemSchema = z
  .object({
    detail: z.string().openapi({ example: "Video not found: missing.mp4" }),
  })
  .openapi("Problem", { description: "Every error Reel sends: JSON with one `detail` string." });
/** The body of every error response. */
export type Problem = z.infer<typeof ProblemSchema>;

/** Conditional and range request headers of the stream route (RFC 9110 §13, §14). */
// Only `range` carries an `example`: /docs "try it" pre-fills every example, and a sample
// validator that does not match the real file would turn the ranged try into a 200 or a 304.
export const StreamHeadersSchema = z.object({
  range: z.string().optional().openapi({
    description:
      "RFC 9110 §14.2 byte ranges: `bytes=a-b`, `bytes=a-`, `bytes=-n`, or several separated by commas (empty list elements are ignored; one invalid spec makes the whole header invalid → 416). `bytes=0-` answers 206 with the whole file.",
    example: "bytes=0-1023",
  }),
  "if-range": z.string().optional().openapi({
    description:
      'Honour `Range` only if the file still has this strong ETag (e.g. `"9c3a-193b6f3c2a8-1a2b-193b6f3c2a8f0"`) or exactly this Last-Modified date, and only when that date\'s second ended before the response (RFC 9110 §8.8.2.2: a date is otherwise a weak validator); otherwise send the whole file (200).',
  }),
  "if-match": z.string().optional().openapi({
    description:
      "RFC 9110 §13.1.1: answer 412 unless the current ETag is listed (strong comparison: a `W/` tag never matches) or the value is `*`. A download client sends it to be sure every piece comes from the version it started with.",
  }),
  "if-unmodified-since": z.string().optional().openapi({
    description:
      "RFC 9110 §13.1.4: answer 412 when the file was modified after this HTTP date. Ignored when `If-Match` is present or the date does not parse.",
  }),
  "if-none-match": z
    .string()
    .optional()
    .openapi({ description: "Answer 304 when the ETag matches (weak comparison), or for `*`." }),
  "if-modified-since": z.string().optional().openapi({
    description:
      "Answer 304 when the file has not changed since this HTTP date, e.g. `Wed, 25 Nov 2026 02:00:00 GMT`. Ignored when `If-None-Match` is present.",
  }),
  "cache-control": z.string().optional().openapi({
    description: "`no-cache` skips the 304 checks, so a cached copy is always reloaded.",
  }),
});

/** Facts read from a video's header: MP4/QuickTime `moov` or WebM `Info` + `Tracks`. */
const MediaInfoSchema = z
  .object({
    durationSeconds: z.number().nonnegative().openapi({
      description:
        "Seconds; for a fragmented MP4 from `mehd`, a segment index or the last fragment; 0 when the file does not say.",
      example: 10,
    }),
    width: z.number().int().nonnegative().nullable().openapi({
      description:
        "Displayed width in pixels, after `rotation` (a 90° turn swaps width and height).",
      example: 320,
    }),
    height: z.number().int().nonnegative().nullable().openapi({
      description: "Displayed height in pixels, after `rotation`.",
      example: 180,
    }),
    rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]).openapi({
      type: "integer",
      enum: [0, 90, 180, 270],
      description:
        "Degrees clockwise the player turns the coded picture for display (the track matrix, or the legacy `rotate` tag).",
      example: 0,
    }),
    videoCodec: z.string().nullable().openapi({
      description:
        "RFC 6381 `codecs` value of the first video track (`avc1.64001f`, `hvc1.1.6.L93.B0`, `av01.0.04M.08`; `vp8`/`vp9` in WebM).",
      example: "avc1.64000d",
    }),
    audioCodec: z.string().nullable().openapi({
      description:
        "RFC 6381 `codecs` value of the first audio track (`mp4a.40.2`, `opus`, `vorbis`).",
      example: "mp4a.40.2",
    }),
    faststart: z.boolean().openapi({
      description:
        "Playable from the start without fetching the end first: `moov` before `mdat` (fragmented MP4 included); always true for WebM.",
      example: true,
    }),
  })
  .openapi("MediaInfo", {
    description: "Facts read from the file's header (MP4/QuickTime boxes, WebM elements).",
  });
/** Facts read from a video's header. */
export type MediaInfo = z.infer<typeof MediaInfoSchema>;

/** One sidecar subtitle track of a video, served as WebVTT. */
export const SubtitleTrackSchema = z
  .object({
    lang: z.string().openapi({
      description:
        "BCP 47 language tag from the sidecar's name (`NAME.en.srt` → `en`), `und` when the name has none.",
      example: "en",
    }),
    label: z
      .string()
      .openapi({ description: "Human-readable name of the track.", example: "English" }),
    url: z.string().openapi({
      description: "Path of the track as WebVTT (SRT converted), percent-encoded.",
      example: "/api/videos/sample_final.mp4/subtitles/en.vtt",
    }),
  })
  .openapi("SubtitleTrack", { description: "One sidecar subtitle track, served as WebVTT." });
/** One sidecar subtitle track of a video. */
export type SubtitleTrack = z.infer<typeof SubtitleTrackSchema>;

/** One servable video as listed and announced. */
export const VideoInfoSchema = z
  .object({
    filename: z.string().openapi({ example: "sample_final.mp4" }),
    size: z.number().int().nonnegative().openapi({ description: "Bytes.", example: 132313 }),
    modifiedAt: z.string().openapi({ format: "date-time", example: "2026-11-25T02:03:00.000Z" }),
    etag: z.string().openapi({
      description: "Strong ETag, as the stream route sends it.",
      example: '"416p~1k8872qu9"',
    }),
    contentType: z
      .enum(["video/mp4", "video/webm", "video/quicktime"])
      .openapi({ example: "video/mp4" }),
    url: z.string().openapi({
      description: "Path of the stream route for this file, percent-encoded.",
      example: "/api/video/sample_final.mp4",
    }),
    media: MediaInfoSchema.nullable().openapi({
      description:
        "`null` when the header cannot be parsed; the file is still listed and streamable.",
    }),
    poster: z.string().nullable().openapi({
      description:
        "Path of the poster (JPEG, a representative frame), percent-encoded; `null` until it is rendered, or when extras are disabled or failed for this video.",
      example: "/api/videos/sample_final.mp4/poster.jpg",
    }),
    previews: z.string().nullable().openapi({
      description:
        "Path of the seek-preview track: WebVTT whose cues point into sprite sheets (`…/previews/0.jpg#xywh=x,y,w,h`), the format Vidstack and Plyr read; `null` like `poster`.",
      example: "/api/videos/sample_final.mp4/previews.vtt",
    }),
    subtitles: z.array(SubtitleTrackSchema).openapi({
      description:
        "Sidecar subtitles beside the video (`NAME.vtt`, `NAME.srt`, `NAME.LANG.vtt|srt`), each served as WebVTT.",
    }),
  })
  .openapi("VideoInfo", { description: "One servable video in the library." });
/** One servable video as listed and announced. */
export type VideoInfo = z.infer<typeof VideoInfoSchema>;

/** Keys `GET /api/videos` can sort by. */
export const SORT_FIELDS = ["modified", "name", "size"] as const;
/** Sort directions of `GET /api/videos`. */
export const SORT_ORDERS = ["desc", "asc"] as const;

/** Query of `GET /api/videos`, with its defaults. */
export const ListVideosQuerySchema = z.object({
  q: z
    .string()
    .max(255)
    .optional()
    .openapi({ description: "Case-insensitive substring of the filename.", example: "sample" }),
  sort: z
    .enum(SORT_FIELDS)
    .default("modified")
    .openapi({ description: "Sort key.", example: "modified" }),
  order: z
    .enum(SORT_ORDERS)
    .default("desc")
    .openapi({ description: "Sort order.", example: "desc" }),
  limit: z.coerce
    .number({ message: "must be a whole number from 1 to 500" })
    .int("must be a whole number from 1 to 500")
    .min(1, "must be 1–500")
    .max(500, "must be 1–500")
    .default(100)
    .openapi({ description: "Page size, 1–500.", example: 100 }),
  cursor: z.string().max(1024).optional().openapi({
    description:
      "Opaque cursor from the previous page's `nextCursor`, valid with the same `sort` and `order`. Pages continue strictly after the last item seen, so files added or removed meanwhile never cause a repeat or a skip.",
    example:
      "eyJ2IjoxLCJzIjoibW9kaWZpZWQiLCJvIjoiZGVzYyIsImsiOjE3NjQwMzYxOTgzNDUsImYiOiJzYW1wbGVfZmluYWwubXA0In0",
  }),
});
/** Query of `GET /api/videos` after defaults are applied. */
export type ListVideosQuery = z.infer<typeof ListVideosQuerySchema>;

/** One page of the library. */
export const VideoListSchema = z
  .object({
    items: z.array(VideoInfoSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; `null` on the last page." }),
    total: z
      .number()
      .int()
      .nonnegative()
      .openapi({ description: "Videos matching `q`.", example: 3 }),
  })
  .openapi("VideoList", { description: "One page of the library." });
/** One page of the library. */
export type VideoList = z.infer<typeof VideoListSchema>;

/** Body of `GET /api/health`. */
export const HealthSchema = z
  .object({
    status: z.literal("ok"),
    videos: z.number().int().nonnegative().openapi({ example: 3 }),
    extras: z
      .object({
        enabled: z.boolean().openapi({
          description:
            "Posters and seek previews are rendered (ffmpeg found, `EXTRAS` on, `CACHE_DIR` usable). Subtitles are served either way.",
          example: true,
        }),
        reason: z.string().nullable().openapi({
          description: "Why they are disabled; `null` when enabled.",
          example: null,
        }),
        pending: z
          .number()
          .int()
          .nonnegative()
          .openapi({ description: "Videos queued or being rendered.", example: 0 }),
      })
      .openapi("ExtrasStatus", { description: "The state of the media extras." }),
    scanning: z
      .object({
        done: z.number().int().nonnegative().openapi({ example: 4200 }),
        total: z.number().int().nonnegative().openapi({ example: 10000 }),
      })
      .optional()
      .openapi({
        description:
          "Present only while the first scan of the library runs: videos read so far (`done`) of those listed (`total`, 0 while the store is still being listed). `videos` counts the ones read so far.",
      }),
  })
  .openapi("Health");
/** Body of `GET /api/health`. */
export type Health = z.infer<typeof HealthSchema>;

/** Id of an event: `<boot>-<sequence>`, boot being 8 hex digits that change when Reel restarts. */
const EventIdSchema = z.string().openapi({
  description:
    "`<boot>-<sequence>`: 8 hex digits naming the server process, a dash, and a counter. Opaque to clients: send it back as `Last-Event-ID`.",
  example: "67c2833e-7",
});

/** Events of `GET /api/videos/events`; `data` is the JSON on the SSE `data:` line. */
export const LibraryEventSchema = z
  .discriminatedUnion("event", [
    z.object({ event: z.literal("added"), id: EventIdSchema, data: VideoInfoSchema }),
    z.object({ event: z.literal("changed"), id: EventIdSchema, data: VideoInfoSchema }),
    z.object({
      event: z.literal("removed"),
      id: EventIdSchema,
      data: z.object({ filename: z.string().openapi({ example: "old.mp4" }) }),
    }),
    z.object({
      event: z.literal("reset"),
      id: EventIdSchema,
      data: z.object({
        reason: z.string().openapi({
          example: "Event 67c2833e-3 is no longer available; list the library again.",
        }),
      }),
    }),
  ])
  .openapi("LibraryEvent", {
    description:
      "One Server-Sent Event: `event:` is the type, `id:` the resume point, `data:` the JSON payload.",
  });
/** One event of `GET /api/videos/events`, parsed. */
export type LibraryEvent = z.infer<typeof LibraryEventSchema>;

/** Request headers of `GET /api/videos/events`. */
export const EventsHeadersSchema = z.object({
  "last-event-id": z.string().max(64).optional().openapi({
    description:
      "Resume after this event id (sent automatically by `EventSource`); an unknown or too-old id gets a `reset` event.",
    example: "67c2833e-7",
  }),
});
