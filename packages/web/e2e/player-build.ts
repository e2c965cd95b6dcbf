// Builds the player bundle for an API on another origin, with Vite's programmatic build().
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const WEB_ROOT = fileURLToPath(new URL("../", import.meta.url));
const CLIENT_ENTRY = fileURLToPath(new URL("../../client/src/index.ts", import.meta.url));

/**
 * Builds packages/web into `outDir` with `VITE_API_URL=apiUrl`. The variable comes from a `.env`
 * in `envDir` (a temp dir), so the test leaves `process.env` alone; an exported VITE_API_URL
 * would still win, as Vite gives the process environment priority. The SDK is bundled from its
 * source, so the test needs no `@reel/client` build in `dist/` (nor races another one writing it).
 */
export async function buildPlayer(apiUrl: string, outDir: string, envDir: string): Promise<void> {
  writeFileSync(join(envDir, ".env"), `VITE_API_URL=${apiUrl}\n`);
  await build({
    root: WEB_ROOT,
    configFile: join(WEB_ROOT, "vite.config.ts"),
    envDir,
    logLevel: "warn",
    resolve: { alias: { "@reel/client": CLIENT_ENTRY } },
    build: { outDir, emptyOutDir: true },
  });
}
