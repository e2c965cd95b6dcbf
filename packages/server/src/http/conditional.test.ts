import { describe, expect, it } from "vitest";
import {
  evaluateConditionals,
  failedPrecondition,
  isNotModified,
  isRangeFresh,
  type Validators,
} from "./conditional.js";

const validators: Validators = {
  etag: '"9~1a2b3c"',
  lastModified: "Wed, 25 Nov 2026 02:00:00 GMT",
};
// A response an hour after Last-Modified: the date is a strong validator then (§8.8.2.2).
const LATER = Date.parse("Wed, 25 Nov 2026 03:00:00 GMT");

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
    expect(isRangeFresh(undefined, validators, LATER)).toBe(true);
  });

  it("is true for the same strong entity tag", () => {
    expect(isRangeFresh('"9~1a2b3c"', validators, LATER)).toBe(true);
  });

  it("is false for another entity tag", () => {
    expect(isRangeFresh('"9~ffffff"', validators, LATER)).toBe(false);
  });

  it("is false for a weak entity tag, even with the same opaque value", () => {
    expect(isRangeFresh('W/"9~1a2b3c"', validators, LATER)).toBe(false);
  });

  it("is true for exactly the Last-Modified date", () => {
    expect(isRangeFresh("Wed, 25 Nov 2026 02:00:00 GMT", validators, LATER)).toBe(true);
  });

  it("is false for any other date, even a later one", () => {
    expect(isRangeFresh("Wed, 25 Nov 2026 02:00:01 GMT", validators, LATER)).toBe(false);
    expect(isRangeFresh("Wed, 25 Nov 2026 01:59:59 GMT", validators, LATER)).toBe(false);
  });

  it("is false for something that is neither a tag nor a date", () => {
    expect(isRangeFresh("yesterday", validators, LATER)).toBe(false);
  });
});

describe("isRangeFresh with a date that is not yet a strong validator (§8.8.2.2, §13.1.5)", () => {
  const second = Date.parse(validators.lastModified);

  it("never matches while the Last-Modified second is not over", () => {
    expect(isRangeFresh(validators.lastModified, validators, second)).toBe(false);
    expect(isRangeFresh(validators.lastModified, validators, second + 999)).toBe(false);
  });

  it("never matches a Last-Modified in the future", () => {
    expect(isRangeFresh(validators.lastModified, validators, second - 60_000)).toBe(false);
  });

  it("matches once the next second has begun", () => {
    expect(isRangeFresh(validators.lastModified, validators, second + 1000)).toBe(true);
  });

  it("leaves entity tags alone: a strong ETag matches at any time", () => {
    expect(isRangeFresh(validators.etag, validators, second)).toBe(true);
  });
});

describe("failedPrecondition", () => {
  type Case = [headers: Record<string, string>, expected: string | undefined];
  const cases: Case[] = [
    [{}, undefined],
    // §13.1.1 If-Match, strong comparison
    [{ "if-match": '"9~1a2b3c"' }, undefined],
    [{ "if-match": '"old", "9~1a2b3c"' }, undefined],
    [{ "if-match": '"old",,"9~1a2b3c"' }, undefined],
    [{ "if-match": "*" }, undefined],
    [{ "if-match": '"foo"' }, "if-match"],
    [{ "if-match": 'W/"9~1a2b3c"' }, "if-match"], // a weak tag never matches strongly
    [{ "if-match": "9~1a2b3c" }, "if-match"], // unquoted: not an entity-tag
    [{ "if-match": "" }, "if-match"],
    // §13.1.4 If-Unmodified-Since
    [{ "if-unmodified-since": "Wed, 25 Nov 2026 02:00:00 GMT" }, undefined],
    [{ "if-unmodified-since": "Wed, 25 Nov 2026 02:05:00 GMT" }, undefined],
    [{ "if-unmodified-since": "Wed, 25 Nov 2026 01:59:00 GMT" }, "if-unmodified-since"],
    [{ "if-unmodified-since": "not a date" }, undefined], // MUST be ignored
    // §13.2.2: If-Unmodified-Since is only evaluated without If-Match
    [
      { "if-match": '"9~1a2b3c"', "if-unmodified-since": "Wed, 25 Nov 2026 01:59:00 GMT" },
      undefined,
    ],
    [{ "if-match": '"foo"', "if-unmodified-since": "Wed, 25 Nov 2026 02:05:00 GMT" }, "if-match"],
  ];

  it.each(cases)("answers %j with %j", (headers, expected) => {
    expect(failedPrecondition(headers, validators)).toBe(expected);
  });
});

describe("evaluateConditionals (§13.2.2 order)", () => {
  it("sends with the range for an unconditional request", () => {
    expect(evaluateConditionals({}, validators, LATER)).toEqual({
      kind: "send",
      honourRange: true,
    });
  });

  it("answers 412 before 304: a failing If-Match wins over a matching If-None-Match", () => {
    const headers = { "if-match": '"foo"', "if-none-match": validators.etag };
    expect(evaluateConditionals(headers, validators, LATER)).toEqual({
      kind: "precondition-failed",
      failed: "if-match",
    });
  });

  it("answers 304 when the preconditions pass and the cache is current", () => {
    const headers = { "if-match": "*", "if-none-match": validators.etag };
    expect(evaluateConditionals(headers, validators, LATER)).toEqual({ kind: "not-modified" });
  });

  it("evaluates If-Range last, sending the whole file when it is stale", () => {
    const headers = { "if-match": validators.etag, "if-range": '"old"' };
    expect(evaluateConditionals(headers, validators, LATER)).toEqual({
      kind: "send",
      honourRange: false,
    });
  });
});
