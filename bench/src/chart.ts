/**
 * A grouped bar chart as a standalone SVG, hand-written because it is ~100 lines and a charting
 * library would pull a DOM or canvas into the benchmark. One group per workload; each bar is a
 * server's ranked figure relative to the best server in that workload, labelled with its value.
 */

/** One bar group. */
export interface ChartGroup {
  label: string;
  unit: string;
  /** Value per series id; missing = not measured (or marked wrong). */
  values: Record<string, number | undefined>;
}

/** A series (a server). */
export interface ChartSeries {
  id: string;
  name: string;
}

const COLORS = ["#d9480f", "#495057", "#1971c2", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599"];
const WIDTH = 860;
const HEIGHT = 380;
const MARGIN = { top: 48, right: 16, bottom: 64, left: 48 };

/** Renders the chart; the first series (Reel) is drawn in the accent colour. */
export function renderBarChart(title: string, series: ChartSeries[], groups: ChartGroup[]): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const groupWidth = plotWidth / Math.max(groups.length, 1);
  const barWidth = (groupWidth * 0.8) / Math.max(series.length, 1);
  const parts: string[] = [];
  parts.push(
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  );
  parts.push(
    `<text x="${WIDTH / 2}" y="38" text-anchor="middle" font-size="11" fill="#495057">bar height: share of the fastest server in that workload · label: the measured value</text>`,
  );
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = MARGIN.top + plotHeight * (1 - tick);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#dee2e6"/>`,
      `<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${tick * 100}%</text>`,
    );
  }
  groups.forEach((group, groupIndex) => {
    const measured = Object.values(group.values).filter((v): v is number => v !== undefined);
    const best = Math.max(...measured, 0);
    const x0 = MARGIN.left + groupIndex * groupWidth + groupWidth * 0.1;
    series.forEach((one, seriesIndex) => {
      const value = group.values[one.id];
      const x = x0 + seriesIndex * barWidth;
      if (value === undefined || best === 0) {
        parts.push(
          `<text x="${x + barWidth / 2}" y="${MARGIN.top + plotHeight - 4}" text-anchor="middle" font-size="10">n/a</text>`,
        );
        return;
      }
      const height = (value / best) * plotHeight;
      const y = MARGIN.top + plotHeight - height;
      const color = COLORS[seriesIndex % COLORS.length] ?? "#000";
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${height.toFixed(1)}" fill="${color}"><title>${escapeXml(`${one.name}: ${formatValue(value)} ${group.unit}`)}</title></rect>`,
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="9">${formatValue(value)}</text>`,
      );
    });
    parts.push(
      `<text x="${(x0 + groupWidth * 0.4).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="12">${escapeXml(`${group.label} (${group.unit})`)}</text>`,
    );
  });
  series.forEach((one, index) => {
    const x = MARGIN.left + index * (plotWidth / series.length);
    const y = HEIGHT - 20;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y - 10}" width="12" height="12" fill="${COLORS[index % COLORS.length] ?? "#000"}"/>`,
      `<text x="${(x + 16).toFixed(1)}" y="${y}" font-size="11">${escapeXml(one.name)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
${parts.join("\n")}
</svg>
`;
}

/** 1234.5 → "1235", 12345 → "12.3k". */
export function formatValue(value: number): string {
  if (value >= 10_000) {
    return `${(value / 1000).toFixed(1)}k`;
  }
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
