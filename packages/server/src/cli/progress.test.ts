/** The download progress display: a bar redrawn in place on a terminal, sparse lines in a log. */
import { describe, expect, it } from "vitest";
import { createProgressReporter, formatBar, formatBytes, percentOf } from "./progress.js";

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, sink: { isTTY, write: (text: string) => writes.push(text) } };
}

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1000, "1.0 KB"],
    [132_651, "132.7 KB"],
    [23_456_789, "23.5 MB"],
    [5_000_000_000, "5.0 GB"],
  ])("writes %d bytes as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("formatBar", () => {
  it("fills the bar in proportion and shows the speed", () => {
    expect(formatBar(500, 1000, 2000)).toBe(
      "[###############...............]  50%  500 B / 1.0 KB  2.0 KB/s",
    );
  });

  it("counts an empty file as done", () => {
    expect(percentOf(0, 0)).toBe(100);
  });
});

describe("createProgressReporter", () => {
  describe("on a terminal", () => {
    it("redraws one line with \\r at most every 100 ms and ends it with a newline", () => {
      let now = 0;
      const { writes, sink: tty } = sink(true);
      const reporter = createProgressReporter(tty, () => now);
      reporter.update(0, 1000);
      now = 50;
      reporter.update(100, 1000); // too soon: not drawn
      now = 150;
      reporter.update(600, 1000);
      now = 160;
      reporter.update(1000, 1000); // the end is always drawn
      reporter.finish();
      expect(writes.every((text) => text.startsWith("\r") || text === "\n")).toBe(true);
      expect(
        writes.filter((text) => text.startsWith("\r")).map((text) => text.slice(1, 33)),
      ).toEqual([
        "[..............................]",
        "[##################............]",
        "[##############################]",
        "[##############################]",
      ]);
      expect(writes.at(-1)).toBe("\n");
    });
  });

  describe("in a log", () => {
    it("writes a plain line each tenth of the way, never \\r", () => {
      const { writes, sink: log } = sink(false);
      const reporter = createProgressReporter(log);
      for (let loaded = 0; loaded <= 1000; loaded += 25) {
        reporter.update(loaded, 1000);
      }
      reporter.finish();
      expect(writes).toHaveLength(11);
      expect(writes[0]).toBe("0%  0 B / 1.0 KB\n");
      expect(writes[5]).toBe("50%  500 B / 1.0 KB\n");
      expect(writes.at(-1)).toBe("100%  1.0 KB / 1.0 KB\n");
      expect(writes.join("")).not.toContain("\r");
    });
  });
});
