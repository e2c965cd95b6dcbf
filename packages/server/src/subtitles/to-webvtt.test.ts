import { describe, expect, it } from "vitest";
import { toWebVtt } from "./to-webvtt.js";

describe("toWebVtt", () => {
  it("converts SubRip to WebVTT: header, `.` milliseconds, CRLF and a BOM read", async () => {
    const srt =
      "\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nHello, <i>world</i>\r\n\r\n2\r\n00:01:03,040 --> 00:01:04,000\r\nTwo\r\nlines\r\n";
    expect(await toWebVtt(srt, "srt")).toBe(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello, <i>world</i>\n\n2\n00:01:03.040 --> 00:01:04.000\nTwo\nlines\n",
    );
  });

  it("passes WebVTT through as it is", async () => {
    const vtt = "WEBVTT\n\n00:00.000 --> 00:01.000 align:start\nHi\n";
    expect(await toWebVtt(vtt, "vtt")).toBe(vtt);
  });
});
