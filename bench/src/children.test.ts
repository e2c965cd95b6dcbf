import { describe, expect, it } from "vitest";
import { childPidsOf, parseChildPids } from "./children.js";

describe("parseChildPids", () => {
  it("reads the space-separated list the kernel writes, trailing space included", () => {
    expect(parseChildPids("123 4567 ")).toEqual([123, 4567]);
  });

  it("returns nothing for a process without children", () => {
    expect(parseChildPids("")).toEqual([]);
  });
});

describe("childPidsOf", () => {
  it("returns nothing for a process that does not exist", () => {
    expect(childPidsOf(2 ** 30)).toEqual([]);
  });
});
