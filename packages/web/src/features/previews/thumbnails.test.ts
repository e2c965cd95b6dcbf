import { describe, expect, it } from "vitest";
import {
  findThumbnail,
  parseThumbnails,
  parseXywh,
  type Thumbnail,
  toThumbnail,
} from "./thumbnails";

const TRACK = "http://reel.test/api/videos/a.mp4/previews.vtt";
const SHEET = "http://reel.test/api/videos/a.mp4/previews/0.jpg";

const VTT = `WEBVTT

00:00:00.000 --> 00:00:02.000
/api/videos/a.mp4/previews/0.jpg#xywh=0,0,160,90

00:00:02.000 --> 00:00:04.000
/api/videos/a.mp4/previews/0.jpg#xywh=160,0,160,90

3
00:00:04.000 --> 00:00:06.500
previews/1.jpg#xywh=0,0,160,90
`;

describe("parseXywh", () => {
  it.each([
    ["#xywh=160,0,160,90", { x: 160, y: 0, w: 160, h: 90 }],
    ["xywh=0,90,160,90", { x: 0, y: 90, w: 160, h: 90 }],
    ["#xywh=pixel:320,180,160,90", { x: 320, y: 180, w: 160, h: 90 }],
    ["#xywh=percent:25,25,50,50", null],
    ["#xywh=0,0,0,90", null],
    ["#xywh=1,2,3", null],
    ["#t=10", null],
    ["", null],
  ])("%j → %j", (fragment, expected) => {
    expect(parseXywh(fragment)).toEqual(expected);
  });
});

describe("toThumbnail", () => {
  it("resolves an absolute path against the track's origin and splits off the region", () => {
    expect(toThumbnail(2, 4, "/api/videos/a.mp4/previews/0.jpg#xywh=160,0,160,90", TRACK)).toEqual({
      start: 2,
      end: 4,
      url: SHEET,
      region: { x: 160, y: 0, w: 160, h: 90 },
    });
  });

  it("resolves a relative path against the track's folder", () => {
    expect(toThumbnail(0, 1, "previews/7.jpg", TRACK)?.url).toBe(
      "http://reel.test/api/videos/a.mp4/previews/7.jpg",
    );
  });

  it("keeps a whole image (no fragment) with no region", () => {
    expect(toThumbnail(0, 1, "https://cdn.test/frame.jpg", TRACK)).toEqual({
      start: 0,
      end: 1,
      url: "https://cdn.test/frame.jpg",
      region: null,
    });
  });
});

describe("parseThumbnails", () => {
  it("reads every cue of a thumbnails track, in time order", async () => {
    const thumbnails = await parseThumbnails(VTT, TRACK);
    expect(thumbnails).toEqual([
      { start: 0, end: 2, url: SHEET, region: { x: 0, y: 0, w: 160, h: 90 } },
      { start: 2, end: 4, url: SHEET, region: { x: 160, y: 0, w: 160, h: 90 } },
      {
        start: 4,
        end: 6.5,
        url: "http://reel.test/api/videos/a.mp4/previews/1.jpg",
        region: { x: 0, y: 0, w: 160, h: 90 },
      },
    ]);
  });

  it("gives nothing for a file that is not WebVTT", async () => {
    expect(await parseThumbnails("<html>not found</html>", TRACK)).toEqual([]);
  });
});

describe("findThumbnail", () => {
  const at = (start: number, end: number): Thumbnail => ({
    start,
    end,
    url: `${SHEET}?${start}`,
    region: null,
  });
  const track = [at(0, 2), at(2, 4), at(4, 6), at(8, 10)];

  it.each([
    [0, 0],
    [1.999, 0],
    [2, 2],
    [3.5, 2],
    [5.9, 4],
    [9, 8],
    [10, 8],
  ])("at %s s picks the cue starting at %s s", (time, start) => {
    expect(findThumbnail(track, time)?.start).toBe(start);
  });

  it.each([
    [-1, "before the first cue"],
    [6, "in a gap (ends are exclusive)"],
    [7, "in a gap"],
    [10.01, "past the end"],
  ])("at %s s finds none (%s)", (time) => {
    expect(findThumbnail(track, time)).toBeNull();
  });

  it("finds none in an empty track", () => {
    expect(findThumbnail([], 1)).toBeNull();
  });

  it("with overlapping cues takes the covering one that starts last", () => {
    const overlapping = [at(0, 10), at(2, 3)];
    expect(findThumbnail(overlapping, 2.5)?.start).toBe(2);
    expect(findThumbnail(overlapping, 5)?.start).toBe(0);
  });
});
