import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatResolution } from "./format";

describe("formatBytes", () => {
  it("keeps small sizes in bytes", () => {
    expect(formatBytes(999)).toBe("999 B");
  });

  it("shows one decimal below 100 of a unit", () => {
    expect(formatBytes(23_456_789)).toBe("23.5 MB");
  });

  it("drops the decimal from 100 of a unit up", () => {
    expect(formatBytes(132_313)).toBe("132 KB");
  });
});

describe("formatDuration", () => {
  it("shows minutes and seconds", () => {
    expect(formatDuration(75.4)).toBe("1:15");
  });

  it("adds hours for long videos", () => {
    expect(formatDuration(3725)).toBe("1:02:05");
  });

  it("shows a placeholder for an unknown duration", () => {
    expect(formatDuration(Number.NaN)).toBe("–:––");
  });
});

describe("formatResolution", () => {
  it("joins width and height", () => {
    expect(formatResolution(1280, 720)).toBe("1280×720");
  });

  it("is null when a dimension is missing", () => {
    expect(formatResolution(null, 720)).toBeNull();
  });
});
