import { describe, expect, it } from "vitest";
import { replaceSection } from "./results-file.js";

describe("replaceSection", () => {
  const document = [
    "# Results",
    "Hand-written note.",
    "<!-- bench:comparison -->",
    "old table",
    "<!-- /bench:comparison -->",
    "",
    "<!-- bench:soak -->",
    "old soak",
    "<!-- /bench:soak -->",
    "",
  ].join("\n");

  it("replaces only the marked section and keeps the notes around it", () => {
    const next = replaceSection(document, "comparison", "new table");
    expect(next).toContain("Hand-written note.");
    expect(next).toContain("<!-- bench:comparison -->\nnew table\n<!-- /bench:comparison -->");
    expect(next).not.toContain("old table");
    expect(next).toContain("old soak");
  });
  it("inserts a missing section before the later sections", () => {
    const next = replaceSection(document, "sweep", "sweep table");
    expect(next.indexOf("sweep table")).toBeGreaterThan(next.indexOf("new table"));
    expect(next.indexOf("sweep table")).toBeLessThan(next.indexOf("old soak"));
  });
  it("appends a section that comes last", () => {
    expect(
      replaceSection(document, "profile", "top").trimEnd().endsWith("<!-- /bench:profile -->"),
    ).toBe(true);
  });
});
