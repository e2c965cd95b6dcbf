import { describe, expect, it } from "vitest";
import { formatValue, renderBarChart } from "./chart.js";

describe("renderBarChart", () => {
  const svg = renderBarChart(
    "A <title>",
    [
      { id: "reel", name: "Reel" },
      { id: "nginx", name: "nginx" },
    ],
    [{ label: "W3", unit: "req/s", values: { reel: 5000, nginx: undefined } }],
  );

  it("is a standalone SVG document", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });
  it("escapes text", () => {
    expect(svg).toContain("A &lt;title&gt;");
  });
  it("draws the best bar of a group at full height and labels a missing one n/a", () => {
    expect(svg).toContain('height="268.0"');
    expect(svg).toContain(">n/a</text>");
  });
});

describe("formatValue", () => {
  it("shortens large numbers", () => {
    expect(formatValue(12_345)).toBe("12.3k");
    expect(formatValue(1234.4)).toBe("1234");
    expect(formatValue(12.34)).toBe("12.3");
  });
});
