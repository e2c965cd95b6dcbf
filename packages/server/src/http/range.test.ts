import { describe, expect, it } from "vitest";
import { MAX_RANGE_PARTS, parseRange, type RangeResult } from "./range.js";

// send's fixture: "123456789" is 9 bytes, so byte n holds the digit n + 1.
const SIZE = 9;

type Case = [header: string | undefined, expected: RangeResult];

const full: RangeResult = { kind: "full" };
const unsatisfiable: RangeResult = { kind: "unsatisfiable" };
const partial = (start: number, end: number): RangeResult => ({ kind: "partial", start, end });

function table(cases: Case[], size = SIZE): void {
  it.each(cases)("answers %j with %j", (header, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
}

describe("parseRange", () => {
  describe("without a Range header", () => {
    table([
      [undefined, full],
      ["", full],
    ]);
  });

  describe("§14.1.2 int-range `first-last`", () => {
    table([
      ["bytes=0-0", partial(0, 0)],
      ["bytes=1-4", partial(1, 4)],
      ["bytes=8-8", partial(8, 8)],
      ["bytes=0-8", partial(0, 8)],
      ["bytes= 2 - 5 ", partial(2, 5)],
      ["BYTES=1-2", partial(1, 2)], // §14.1: range units are case-insensitive
    ]);
  });

  describe("when the end is past the file size", () => {
    it("clamps to the last byte (§14.1.2)", () => {
      expect(parseRange("bytes=3-100", SIZE)).toEqual(partial(3, 8));
      expect(parseRange("bytes=0-99999999999999999999", SIZE)).toEqual(partial(0, 8));
    });
  });

  describe("§14.1.2 open int-range `first-`", () => {
    table([
      ["bytes=3-", partial(3, 8)],
      ["bytes=8-", partial(8, 8)],
    ]);

    it("answers `bytes=0-` with a 206 of the whole file, as nginx, Apache, send and Go do", () => {
      expect(parseRange("bytes=0-", SIZE)).toEqual(partial(0, 8));
      expect(parseRange("bytes= 0- ", SIZE)).toEqual(partial(0, 8));
      expect(parseRange("bytes=0-", 100)).toEqual(partial(0, 99));
    });
  });

  describe("§14.1.3 suffix-range `-n`", () => {
    table([
      ["bytes=-1", partial(8, 8)],
      ["bytes=-3", partial(6, 8)],
      ["bytes=-9", partial(0, 8)],
    ]);

    it("uses the entire representation when the suffix is longer than the file", () => {
      expect(parseRange("bytes=-10", SIZE)).toEqual(partial(0, 8));
      expect(parseRange("bytes=-99999999999999999999", SIZE)).toEqual(partial(0, 8));
    });
  });

  describe("§15.5.17 unsatisfiable → 416", () => {
    table([
      ["bytes=9-", unsatisfiable], // first-pos equal to the length
      ["bytes=10-20", unsatisfiable],
      ["bytes=-0", unsatisfiable], // a zero-length suffix selects nothing
      ["bytes=5-2", unsatisfiable], // last < first is invalid (§14.1.1)
      ["bytes=9-,12-14", unsatisfiable],
    ]);
  });

  describe("an unparseable `bytes=` value", () => {
    table([
      ["bytes=abc", unsatisfiable],
      ["bytes=", unsatisfiable],
      ["bytes=-", unsatisfiable],
      ["bytes=1-2-3", unsatisfiable],
      ["bytes=0-1,x-", unsatisfiable],
      ["bytes=0x10-", unsatisfiable],
    ]);
  });

  describe("§5.6.1.2 empty list elements", () => {
    table(
      [
        ["bytes=0-4,", partial(0, 4)],
        ["bytes=,0-4", partial(0, 4)],
        ["bytes= , 0-4", partial(0, 4)],
        ["bytes=0-4,,", partial(0, 4)],
        [
          "bytes=0-4, ,\t,10-14",
          {
            kind: "multipart",
            ranges: [
              { start: 0, end: 4 },
              { start: 10, end: 14 },
            ],
          },
        ],
        ["bytes=,", unsatisfiable], // no element left: not a range-set
        ["bytes= , ", unsatisfiable],
      ],
      100,
    );
  });

  describe("§14.1.1 one invalid spec makes the whole list invalid", () => {
    table(
      [
        ["bytes=0-9,50-40", unsatisfiable], // answered like `bytes=50-40` on its own
        ["bytes=50-40,0-9", unsatisfiable],
        ["bytes=0-9,abc", unsatisfiable],
        ["bytes=0-9,-", unsatisfiable],
        ["bytes=0-9,1-2-3", unsatisfiable],
        ["bytes=0-9,--5", unsatisfiable],
        ["bytes=0-9,+5-6", unsatisfiable],
        ["bytes=0-9,99999999999999999999-1", unsatisfiable], // compared exactly, not as floats
      ],
      100,
    );

    it("still ignores a valid spec that only lies past the end (§14.1.1 unsatisfiable ≠ invalid)", () => {
      expect(parseRange("bytes=0-9,200-300", 100)).toEqual(partial(0, 9));
      expect(parseRange("bytes=0-9,-0", 100)).toEqual(partial(0, 9));
    });
  });

  describe("§14.2 a unit other than bytes, or no unit at all", () => {
    it("is ignored, so the whole file is sent", () => {
      expect(parseRange("items=0-5", SIZE)).toEqual(full);
      expect(parseRange("bits=0-5", SIZE)).toEqual(full);
      expect(parseRange("0-5", SIZE)).toEqual(full);
      expect(parseRange("garbage", SIZE)).toEqual(full);
    });
  });

  describe("§14.1.1 a set with some unsatisfiable ranges", () => {
    it("keeps the satisfiable ones", () => {
      expect(parseRange("bytes=20-30,1-2", SIZE)).toEqual(partial(1, 2));
    });
  });

  describe("several ranges", () => {
    it("answers multipart, in ascending order", () => {
      expect(parseRange("bytes=6-7,0-1", SIZE)).toEqual({
        kind: "multipart",
        ranges: [
          { start: 0, end: 1 },
          { start: 6, end: 7 },
        ],
      });
    });

    it("coalesces overlapping ranges into one partial", () => {
      expect(parseRange("bytes=0-3,2-5", SIZE)).toEqual(partial(0, 5));
    });

    it("coalesces adjacent ranges into one partial", () => {
      expect(parseRange("bytes=0-1,2-3", SIZE)).toEqual(partial(0, 3));
    });

    it("coalesces some and keeps the others apart", () => {
      expect(parseRange("bytes=7-8,0-0,1-1,4-4", SIZE)).toEqual({
        kind: "multipart",
        ranges: [
          { start: 0, end: 1 },
          { start: 4, end: 4 },
          { start: 7, end: 8 },
        ],
      });
    });

    it("mixes suffix and int ranges", () => {
      expect(parseRange("bytes=-1,0-0", SIZE)).toEqual({
        kind: "multipart",
        ranges: [
          { start: 0, end: 0 },
          { start: 8, end: 8 },
        ],
      });
    });
  });

  describe("an abusive set (CVE-2011-3192)", () => {
    const size = 1000;

    it("sends the whole file when the parts ask for more bytes than the file has", () => {
      expect(parseRange("bytes=0-,0-", size)).toEqual(full);
      expect(parseRange("bytes=0-600,400-999", size)).toEqual(full);
    });

    it(`sends the whole file when more than ${MAX_RANGE_PARTS} parts remain after coalescing`, () => {
      const parts = Array.from({ length: MAX_RANGE_PARTS + 1 }, (_, i) => `${i * 10}-${i * 10}`);
      expect(parseRange(`bytes=${parts.join(",")}`, size)).toEqual(full);
    });

    it(`still serves exactly ${MAX_RANGE_PARTS} parts`, () => {
      const parts = Array.from({ length: MAX_RANGE_PARTS }, (_, i) => `${i * 10}-${i * 10}`);
      const result = parseRange(`bytes=${parts.join(",")}`, size);
      expect(result.kind).toBe("multipart");
    });

    it("coalesces 1,000 small overlapping parts into one range", () => {
      const parts = Array.from({ length: 1000 }, (_, i) => `${i % 100}-${(i % 100) + 1}`);
      expect(parseRange(`bytes=${parts.join(",")}`, 100_000)).toEqual(partial(0, 100));
    });

    it("answers 1,000 overlapping parts of a small file with the whole file", () => {
      const parts = Array.from({ length: 1000 }, (_, i) => `${i % 100}-${(i % 100) + 50}`);
      expect(parseRange(`bytes=${parts.join(",")}`, size)).toEqual(full);
    });
  });

  describe("an empty file", () => {
    table(
      [
        [undefined, full],
        ["bytes=0-", full],
        ["bytes=-5", full], // §14.1.1: a non-zero suffix is satisfiable; no 206 can say "0 bytes"
        ["items=0-5", full],
        ["bytes=0-0", unsatisfiable],
        ["bytes=1-", unsatisfiable],
        ["bytes=-0", unsatisfiable],
        ["bytes=abc", unsatisfiable],
      ],
      0,
    );
  });

  describe("a one-byte file", () => {
    table(
      [
        ["bytes=0-0", partial(0, 0)],
        ["bytes=-1", partial(0, 0)],
        ["bytes=-2", partial(0, 0)],
        ["bytes=1-", unsatisfiable],
      ],
      1,
    );
  });
});
