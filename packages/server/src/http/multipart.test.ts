import { describe, expect, it } from "vitest";
import { planMultipart } from "./multipart.js";

const ranges = [
  { start: 0, end: 1 },
  { start: 6, end: 8 },
];

const EXPECTED =
  "--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-1/9\r\n\r\n12" +
  "\r\n--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 6-8/9\r\n\r\n789" +
  "\r\n--B--\r\n";

describe("planMultipart", () => {
  it("names the boundary in the response Content-Type", () => {
    expect(planMultipart(ranges, 9, "video/mp4", "B").contentType).toBe(
      "multipart/byteranges; boundary=B",
    );
  });

  it("computes the exact body length in advance", () => {
    expect(planMultipart(ranges, 9, "video/mp4", "B").length).toBe(Buffer.byteLength(EXPECTED));
  });

  it("draws a fresh random boundary when none is given", () => {
    const first = planMultipart(ranges, 9, "video/mp4").contentType;
    const second = planMultipart(ranges, 9, "video/mp4").contentType;
    expect(first).toMatch(/boundary=reel-[0-9a-f]{24}$/);
    expect(first).not.toBe(second);
  });
});
