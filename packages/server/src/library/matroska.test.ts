import { describe, expect, it } from "vitest";
import type { ReadBytes } from "./boxes.js";
import { codecOf, readMatroskaInfo } from "./matroska.js";

/** An EBML element: ID bytes, a one-byte size (payloads under 127 bytes), payload. */
function element(id: number[], payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id), Buffer.from([0x80 | payload.length]), payload]);
}
const text = (value: string) => Buffer.from(value, "latin1");
const uint = (value: number) => Buffer.from([value >> 8, value & 0xff]);

const EBML = [0x1a, 0x45, 0xdf, 0xa3];
const DOC_TYPE = [0x42, 0x82];

describe("readMatroskaInfo", () => {
  const reader =
    (bytes: Buffer): ReadBytes =>
    async (start, end) =>
      bytes.subarray(start, end + 1);

  it("answers null for an EBML file that is not Matroska", async () => {
    const bytes = element(EBML, element(DOC_TYPE, text("notmkv")));
    expect(await readMatroskaInfo(reader(bytes), bytes.length)).toBeNull();
  });

  it("reads a header without Duration as 0 seconds, and the pixel size", async () => {
    const video = element(
      [0xe0],
      Buffer.concat([element([0xb0], uint(640)), element([0xba], uint(360))]),
    );
    const entry = element(
      [0xae],
      Buffer.concat([element([0x83], Buffer.from([1])), element([0x86], text("V_VP8")), video]),
    );
    const segment = element(
      [0x18, 0x53, 0x80, 0x67],
      Buffer.concat([
        element([0x15, 0x49, 0xa9, 0x66], Buffer.alloc(0)),
        element([0x16, 0x54, 0xae, 0x6b], entry),
      ]),
    );
    const bytes = Buffer.concat([element(EBML, element(DOC_TYPE, text("webm"))), segment]);
    expect(await readMatroskaInfo(reader(bytes), bytes.length)).toEqual({
      durationSeconds: 0,
      width: 640,
      height: 360,
      rotation: 0,
      videoCodec: "vp8",
      audioCodec: null,
      faststart: true,
    });
  });

  it("stops reading at 1 MB when the header never ends", async () => {
    let read = 0;
    const bytes = element(EBML, element(DOC_TYPE, text("webm")));
    const endless: ReadBytes = async (start, end) => {
      read += end - start + 1;
      return start < bytes.length ? bytes.subarray(start, end + 1) : Buffer.alloc(end - start + 1);
    };
    expect(await readMatroskaInfo(endless, 10 * 1024 ** 3)).toBeNull();
    expect(read).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe("codecOf", () => {
  it.each([
    ["V_VP8", undefined, "vp8"],
    ["V_VP9", undefined, "vp9"],
    ["V_AV1", Buffer.from([0x81, 0x08, 0x0c, 0x00]), "av01.0.08M.08"],
    ["V_AV1", Buffer.from([0x81, 0x2d, 0xc0, 0x00]), "av01.1.13H.10"],
    ["V_AV1", undefined, "av01"],
    ["V_MPEG4/ISO/AVC", Buffer.from([1, 0x64, 0x00, 0x1f]), "avc1.64001f"],
    ["A_OPUS", undefined, "opus"],
    ["A_VORBIS", undefined, "vorbis"],
    ["V_THEORA", undefined, "V_THEORA"],
  ] as const)("maps %s to a codecs value", (codecId, codecPrivate, expected) => {
    expect(codecOf({ codecId, codecPrivate })).toBe(expected);
  });
});
