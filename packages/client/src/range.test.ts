import { describe, expect, it } from "vitest";
import { formatRange, parseContentRange, parseUnsatisfiedSize } from "./range.js";

describe("formatRange", () => {
  it("formats a closed range with an inclusive end", () => {
    expect(formatRange({ start: 2, end: 4 })).toBe("bytes=2-4");
  });

  it("formats an open-ended range without an end", () => {
    expect(formatRange({ start: 5 })).toBe("bytes=5-");
  });

  it("formats a suffix range", () => {
    expect(formatRange({ suffix: 3 })).toBe("bytes=-3");
  });

  it("leaves ranges the file cannot satisfy to the server", () => {
    expect(formatRange({ start: 9, end: 1 })).toBe("bytes=9-1");
    expect(formatRange({ suffix: 0 })).toBe("bytes=-0");
  });

  it.each([
    [{ start: -1 }],
    [{ start: 1.5 }],
    [{ start: Number.NaN }],
    [{ start: 0, end: Number.POSITIVE_INFINITY }],
    [{ suffix: -2 }],
  ])("refuses a number that is not a byte count: %j", (range) => {
    expect(() => formatRange(range)).toThrow(RangeError);
  });
});

describe("parseContentRange", () => {
  it("reads start, end and size", () => {
    expect(parseContentRange("bytes 2-4/10")).toEqual({ start: 2, end: 4, size: 10 });
  });

  it.each([[null], [""], ["bytes */10"], ["bytes 0-4/*"], ["items 0-4/10"], ["bytes 5-4/10"]])(
    "gives undefined for %j",
    (header) => {
      expect(parseContentRange(header)).toBeUndefined();
    },
  );
});

describe("parseUnsatisfiedSize", () => {
  it("reads the size of a 416's bytes */size", () => {
    expect(parseUnsatisfiedSize("bytes */10")).toBe(10);
  });

  it("gives undefined for a satisfied range", () => {
    expect(parseUnsatisfiedSize("bytes 0-4/10")).toBeUndefined();
  });
});
