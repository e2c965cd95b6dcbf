import type { Client } from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ByteRange,
  createReelClient,
  type Download,
  type LibraryEvent,
  type ListVideosQuery,
  type MediaInfo,
  type RangeResponse,
  type ReelApiError,
  type SubtitleTrack,
  type VideoInfo,
  type VideoList,
} from "./index.js";
import { downloadToFile } from "./node.js";
import type { paths } from "./schema.js";

const client = createReelClient({ baseUrl: "http://127.0.0.1:8000" });

describe("listVideos", () => {
  it("accepts every documented query and returns a VideoList", () => {
    expectTypeOf(
      client.listVideos({ q: "a", sort: "size", order: "asc", limit: 10, cursor: "c" }),
    ).toEqualTypeOf<Promise<VideoList>>();
    expectTypeOf<ListVideosQuery["sort"]>().toEqualTypeOf<
      "modified" | "name" | "size" | undefined
    >();
    expectTypeOf<ListVideosQuery["order"]>().toEqualTypeOf<"asc" | "desc" | undefined>();
  });

  it("rejects an unknown sort, order or parameter", () => {
    // @ts-expect-error "duration" is not a sort key
    void client.listVideos({ sort: "duration" });
    // @ts-expect-error order is asc or desc
    void client.listVideos({ order: "up" });
    // @ts-expect-error limit is a number
    void client.listVideos({ limit: "10" });
    // @ts-expect-error no such query parameter
    void client.listVideos({ page: 2 });
  });

  it("pages through every video with listAllVideos, which takes no cursor", () => {
    expectTypeOf(client.listAllVideos()).toEqualTypeOf<AsyncIterable<VideoInfo>>();
    // @ts-expect-error listAllVideos follows the cursors itself
    void client.listAllVideos({ cursor: "c" });
  });
});

describe("VideoInfo", () => {
  it("types every field", () => {
    expectTypeOf<VideoInfo["filename"]>().toEqualTypeOf<string>();
    expectTypeOf<VideoInfo["size"]>().toEqualTypeOf<number>();
    expectTypeOf<VideoInfo["modifiedAt"]>().toEqualTypeOf<string>();
    expectTypeOf<VideoInfo["etag"]>().toEqualTypeOf<string>();
    expectTypeOf<VideoInfo["contentType"]>().toEqualTypeOf<
      "video/mp4" | "video/webm" | "video/quicktime"
    >();
    expectTypeOf<VideoInfo["url"]>().toEqualTypeOf<string>();
    expectTypeOf<VideoInfo["media"]>().toEqualTypeOf<MediaInfo>();
  });

  it("types the extras: poster and previews paths or null, subtitle tracks", () => {
    expectTypeOf<VideoInfo["poster"]>().toEqualTypeOf<string | null>();
    expectTypeOf<VideoInfo["previews"]>().toEqualTypeOf<string | null>();
    expectTypeOf<VideoInfo["subtitles"]>().toEqualTypeOf<SubtitleTrack[]>();
    expectTypeOf<SubtitleTrack>().toEqualTypeOf<{ lang: string; label: string; url: string }>();
    expectTypeOf(client.posterUrl).toEqualTypeOf<(filename: string) => string>();
    expectTypeOf(client.subtitleUrl).toEqualTypeOf<(filename: string, lang: string) => string>();
    // @ts-expect-error a subtitle URL needs the language
    void client.subtitleUrl("a.mp4");
  });

  it("types media as nullable facts", () => {
    expectTypeOf<MediaInfo>().toBeNullable();
    expectTypeOf<NonNullable<MediaInfo>>().toEqualTypeOf<{
      durationSeconds: number;
      width: number | null;
      height: number | null;
      rotation: 0 | 90 | 180 | 270;
      videoCodec: string | null;
      audioCodec: string | null;
      faststart: boolean;
    }>();
  });
});

describe("fetchRange", () => {
  it("requires a range and returns a RangeResponse", () => {
    expectTypeOf(client.fetchRange("a.mp4", { start: 0, end: 9 })).toEqualTypeOf<
      Promise<RangeResponse>
    >();
    expectTypeOf(client.fetchRange).parameter(1).toEqualTypeOf<ByteRange>();
    // @ts-expect-error a range is required
    void client.fetchRange("a.mp4");
    // @ts-expect-error a range needs start or suffix
    void client.fetchRange("a.mp4", { end: 9 });
    // @ts-expect-error start is a number
    void client.fetchRange("a.mp4", { start: "0" });
  });

  it("types the answer", () => {
    expectTypeOf<RangeResponse["status"]>().toEqualTypeOf<200 | 206>();
    expectTypeOf<RangeResponse["bytes"]>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<RangeResponse["contentRange"]>().toEqualTypeOf<{
      start: number;
      end: number;
      size: number;
    }>();
  });
});

describe("download", () => {
  it("returns a byte stream with its size, ETag and offset", () => {
    expectTypeOf(client.download("a.mp4")).toEqualTypeOf<Promise<Download>>();
    expectTypeOf<Download["body"]>().toEqualTypeOf<ReadableStream<Uint8Array>>();
    // @ts-expect-error resuming needs the ETag the offset was read under
    void client.download("a.mp4", { from: { offset: 10 } });
  });

  it("has a Node helper that resolves to the file's facts", () => {
    expectTypeOf(downloadToFile(client, "a.mp4", "/tmp/a.mp4")).resolves.toEqualTypeOf<{
      path: string;
      size: number;
      etag: string;
      resumedFrom: number;
      attempts: number;
    }>();
  });
});

describe("watchVideos", () => {
  it("narrows the event payload by its type and returns an unsubscribe function", () => {
    const stop = client.watchVideos((event) => {
      expectTypeOf(event).toEqualTypeOf<LibraryEvent>();
      if (event.event === "removed") {
        expectTypeOf(event.data).toEqualTypeOf<{ filename: string }>();
      } else if (event.event === "reset") {
        expectTypeOf(event.data).toEqualTypeOf<{ reason: string }>();
      } else {
        expectTypeOf(event.data).toEqualTypeOf<VideoInfo>();
      }
    });
    expectTypeOf(stop).toEqualTypeOf<() => void>();
    // @ts-expect-error no such status
    client.watchVideos(() => undefined, { onStatus: (status: "closed") => status });
  });
});

describe("errors and the raw client", () => {
  it("types ReelApiError's fields", () => {
    expectTypeOf<ReelApiError>().toExtend<Error>();
    expectTypeOf<ReelApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<ReelApiError["detail"]>().toEqualTypeOf<string>();
  });

  it("exposes the typed openapi-fetch client", () => {
    expectTypeOf(client.raw).toEqualTypeOf<Client<paths>>();
  });
});
