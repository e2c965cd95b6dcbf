import { describe, expect, it } from "vitest";
import { formatCueTime, planPreviews, writePreviewTrack } from "./plan.js";

describe("planPreviews", () => {
  it.each([
    // duration s, width, height → interval ms, tiles, grid, sheets, tile height
    [10, 320, 180, 1000, 10, "5x2", 1, 90],
    [6, 320, 240, 1000, 6, "5x2", 1, 120],
    [0.4, 320, 180, 1000, 1, "1x1", 1, 90],
    [60, 1280, 720, 1000, 60, "5x5", 3, 90],
    [100, 1280, 720, 1000, 100, "5x5", 4, 90],
    [100.5, 1280, 720, 2000, 51, "5x5", 3, 90],
    [300, 1920, 1080, 5000, 60, "5x5", 3, 90],
    [1000, 1920, 1080, 10_000, 100, "5x5", 4, 90],
    [7200, 1920, 1080, 72_000, 100, "5x5", 4, 90],
    [20, 1080, 1920, 1000, 20, "5x4", 1, 284],
    [20, null, null, 1000, 20, "5x4", 1, 90],
  ])(
    "plans %s s of %sx%s as one frame per %s ms, %s tiles on %s sheets",
    (duration, width, height, intervalMs, tiles, grid, sheets, tileHeight) => {
      const plan = planPreviews(duration, width, height);
      expect(plan.intervalMs).toBe(intervalMs);
      expect(plan.tileCount).toBe(tiles);
      expect(`${plan.columns}x${plan.rows}`).toBe(grid);
      expect(plan.sheetCount).toBe(sheets);
      expect(plan.tileWidth).toBe(160);
      expect(plan.tileHeight).toBe(tileHeight);
      expect(plan.tileCount).toBeLessThanOrEqual(100);
    },
  );

  it("takes the poster a tenth into the video, at most 640 px wide and even", () => {
    expect(planPreviews(10, 320, 180)).toMatchObject({ posterAtSeconds: 1, posterWidth: 320 });
    expect(planPreviews(60, 1920, 1080)).toMatchObject({ posterAtSeconds: 6, posterWidth: 640 });
    expect(planPreviews(5, 321, 181).posterWidth).toBe(322);
  });
});

describe("formatCueTime", () => {
  it.each([
    [0, "00:00:00.000"],
    [1500, "00:00:01.500"],
    [61_001, "00:01:01.001"],
    [3_600_000 + 59 * 60_000 + 59_999, "01:59:59.999"],
  ])("writes %s ms as %s", (ms, text) => {
    expect(formatCueTime(ms)).toBe(text);
  });
});

describe("writePreviewTrack", () => {
  it("writes one cue per tile, row by row, ending at the duration", () => {
    const plan = planPreviews(2.5, 320, 180);
    const track = writePreviewTrack(plan, 2.5, (sheet) => `/p/${sheet}.jpg`);
    expect(track).toBe(
      [
        "WEBVTT",
        "",
        "00:00:00.000 --> 00:00:01.000",
        "/p/0.jpg#xywh=0,0,160,90",
        "",
        "00:00:01.000 --> 00:00:02.000",
        "/p/0.jpg#xywh=160,0,160,90",
        "",
        "00:00:02.000 --> 00:00:02.500",
        "/p/0.jpg#xywh=320,0,160,90",
        "",
      ].join("\n"),
    );
  });

  it("moves to the next row and the next sheet", () => {
    const plan = planPreviews(60, 320, 180);
    const cues = writePreviewTrack(plan, 60, (sheet) => `s${sheet}`)
      .split("\n")
      .filter((line) => line.includes("#xywh="));
    expect(cues).toHaveLength(60);
    expect(cues[5]).toBe("s0#xywh=0,90,160,90");
    expect(cues[24]).toBe("s0#xywh=640,360,160,90");
    expect(cues[25]).toBe("s1#xywh=0,0,160,90");
    expect(cues[59]).toBe("s2#xywh=640,90,160,90");
  });
});
