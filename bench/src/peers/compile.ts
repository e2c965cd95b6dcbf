/**
 * The Node peers run as plain `node <file>.mjs`, not under tsx: tsx's loader thread would add
 * memory and start-up work that Reel (run from its `dist/`) does not pay, skewing the RSS column.
 * So each peer script is transpiled once into `bench/.tmp/peers/`, inside the bench package so
 * that its imports still resolve from `bench/node_modules`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SOURCE_DIR = fileURLToPath(new URL("./servers/", import.meta.url));
/** Where transpiled peer scripts go (gitignored). */
export const COMPILED_DIR = fileURLToPath(new URL("../../.tmp/peers/", import.meta.url));

/** Transpiles `servers/<name>.ts` to `bench/.tmp/peers/<name>.mjs` and returns that path. */
export function compilePeerScript(name: string): string {
  const source = readFileSync(`${SOURCE_DIR}${name}.ts`, "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
    fileName: `${name}.ts`,
  });
  mkdirSync(COMPILED_DIR, { recursive: true });
  const out = `${COMPILED_DIR}${name}.mjs`;
  writeFileSync(out, outputText);
  return out;
}
