import { describe, expect, it } from "vitest";
import { isNotModified, isRangeFresh, type Validators } from "./conditional.js";

const validators: Validators = {
  etag: '"9~1a2b3c"',
  lastModified: "Wed, 25 Nov 2026 02:00:00 GMT",
};

describe("isNotModified", () => {
  it("is false for an unconditional request", () => {
    expect(isNotModified({}, validators)).toBe(false);
  });

  describe("§13.1.2 If-None-Match", () => {
    it("is true when one of the listed tags matches", () => {
      expect(isNotModified({ "if-none-match": '"9~1a2b3c"' }, validators)).toBe(true);
      expect(isNotModified({ "if-none-match": '"old", "9~1a2b3c"' }, validators)).toBe(true);
      expect(isNotModified({ "if-none-match": "*" }, validators)).toBe(true);
    });

    it("uses the weak comparison, so a W/ copy of the tag matches", () => {
      expect(isNotModified({ "if-none-match": 'W/"9~1a2b3c"' }, validators)).toBe(true);
    });

    it("is false when no tag matches", () => {
      expect(isNotModified({ "if-none-match": '"other"' }, validators)).toBe(false);
    });

    it("wins over a matching If-Modified-Since (§13.2.2)", () => {
      const headers = {
        "if-none-match": '"other"',
        "if-modified-since": "Wed, 25 Nov 2026 03:00:00 GMT",
      };
      expect(isNotModified(headers, validators)).toBe(false);
    });
  });

  describe("§13.1.3 If-Modified-Since", () => {
    it("is true when the file has not changed since that date", () => {
      expect(
        isNotModified({ "if-modified-since": "Wed, 25 Nov 2026 02:00:00 GMT" }, validators),
      ).toBe(true);
      expect(
        isNotModified({ "if-modified-since": "Wed, 25 Nov 2026 02:00:01 GMT" }, validators),
      ).toBe(true);
    });

    it("is false when the file changed after that date", () => {
      expect(
        isNotModified({ "if-modified-since": "Wed, 25 Nov 2026 01:59:59 GMT" }, validators),
      ).toBe(false);
    });
  });

  it("is false when the client forces a reload with Cache-Control: no-cache", () => {
    const headers = { "if-none-match": '"9~1a2b3c"', "cache-control": "no-cache" };
    expect(isNotModified(headers, validators)).toBe(false);
  });
});

describe("isRangeFresh (§13.1.5 If-Range)", () => {
  it("is true without If-Range", () => {
    expect(isRangeFresh(undefined, validators)).toBe(true);
  });

  it("is true for the same strong entity tag", () => {
    expect(isRangeFresh('"9~1a2b3c"', validators)).toBe(true);
  });

  it("is false for another entity tag", () => {
    expect(isRangeFresh('"9~ffffff"', validators)).toBe(false);
  });

  it("is false for a weak entity tag, even with the same opaque value", () => {
    expect(isRangeFresh('W/"9~1a2b3c"', validators)).toBe(false);
  });

  it("is true for exactly the Last-Modified date", () => {
    expect(isRangeFresh("Wed, 25 Nov 2026 02:00:00 GMT", validators)).toBe(true);
  });

  it("is false for any other date, even a later one", () => {
    expect(isRangeFresh("Wed, 25 Nov 2026 02:00:01 GMT", validators)).toBe(false);
    expect(isRangeFresh("Wed, 25 Nov 2026 01:59:59 GMT", validators)).toBe(false);
  });

  it("is false for something that is neither a tag nor a date", () => {
    expect(isRangeFresh("yesterday", validators)).toBe(false);
  });
});
