import { describe, expect, it } from "vitest";
import { isInterrupted, markInterrupted } from "./processes.js";
import { writeSection } from "./results-file.js";

// Its own file: the flag is process-wide and only ever goes one way.
describe("after Ctrl-C", () => {
  it("writes no results, so a cut-short run never replaces good ones", () => {
    expect(isInterrupted()).toBe(false);
    markInterrupted();
    // Quick: were the guard broken, this would write to the gitignored bench/results/ only.
    expect(writeSection("object-store", "## broken", true, { "x.svg": "<svg/>" }, {})).toEqual([]);
  });
});
