// Part of `build`, after tsc: bundles the SDK (`@reel/client`, with openapi-fetch) into
// dist/cli/download.js, so the packed server runs `reel download` without a published client.
// Everything else in dist/ stays as tsc wrote it and imports its dependencies from node_modules.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const outfile = fileURLToPath(new URL("../dist/cli/download.js", import.meta.url));

await build({
  entryPoints: [outfile],
  outfile,
  allowOverwrite: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
});
