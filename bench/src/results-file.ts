/**
 * Where results go. A full run updates its own marked section of bench/RESULTS.md (so the
 * comparison, the sweep and the soak can be re-run separately, and hand-written notes outside
 * the markers survive) and writes the chart next to it. `--quick` writes only to bench/results/
 * (gitignored), so a CI smoke run never dirties the tree.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isInterrupted } from "./processes.js";

const BENCH_DIR = fileURLToPath(new URL("../", import.meta.url));
/** The committed results note. */
export const RESULTS_MD = `${BENCH_DIR}RESULTS.md`;
/** Scratch results (gitignored). */
export const RESULTS_DIR = `${BENCH_DIR}results/`;

/** Names of the marked sections, in the order a new RESULTS.md lists them. */
export type Section =
  | "comparison"
  | "http2"
  | "object-store"
  | "extras"
  | "sweep"
  | "soak"
  | "profile";
const ORDER: Section[] = [
  "comparison",
  "http2",
  "object-store",
  "extras",
  "sweep",
  "soak",
  "profile",
];

const HEADER = `# Reel benchmark results

Written by \`pnpm bench\` (see [README.md](README.md)). Each section between \`bench:\` markers is
replaced by the run that produced it; notes outside the markers are kept.
`;

/** Writes one section's markdown (+ extra files such as the SVG); returns the paths written. */
export function writeSection(
  section: Section,
  markdown: string,
  isQuick: boolean,
  extras: Record<string, string> = {},
  raw?: unknown,
): string[] {
  if (isInterrupted()) {
    return []; // a run cut short by Ctrl-C would overwrite good results with broken ones
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const written: string[] = [];
  if (raw !== undefined) {
    const json = `${RESULTS_DIR}${section}${isQuick ? "-quick" : ""}.json`;
    writeFileSync(json, `${JSON.stringify(raw, null, 2)}\n`);
    written.push(json);
  }
  if (isQuick) {
    const path = `${RESULTS_DIR}${section}-quick.md`;
    writeFileSync(path, `${markdown.trim()}\n`);
    written.push(path);
    for (const [name, content] of Object.entries(extras)) {
      writeFileSync(`${RESULTS_DIR}${name}`, content);
      written.push(`${RESULTS_DIR}${name}`);
    }
    return written;
  }
  const current = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, "utf8") : HEADER;
  writeFileSync(RESULTS_MD, replaceSection(current, section, markdown));
  written.push(RESULTS_MD);
  for (const [name, content] of Object.entries(extras)) {
    writeFileSync(`${BENCH_DIR}${name}`, content);
    written.push(`${BENCH_DIR}${name}`);
  }
  return written;
}

/** `document` with the marked `section` replaced by `markdown` (or inserted in order). */
export function replaceSection(document: string, section: Section, markdown: string): string {
  const begin = `<!-- bench:${section} -->`;
  const end = `<!-- /bench:${section} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const from = document.indexOf(begin);
  const to = document.indexOf(end);
  if (from !== -1 && to > from) {
    return document.slice(0, from) + block + document.slice(to + end.length);
  }
  // Insert before the first later section that exists, else append.
  const later = ORDER.slice(ORDER.indexOf(section) + 1)
    .map((name) => document.indexOf(`<!-- bench:${name} -->`))
    .filter((index) => index !== -1);
  const at = later.length > 0 ? Math.min(...later) : -1;
  if (at === -1) {
    return `${document.trimEnd()}\n\n${block}\n`;
  }
  return `${document.slice(0, at)}${block}\n\n${document.slice(at)}`;
}
