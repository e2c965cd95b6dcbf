/**
 * The self-description: `GET /openapi.json`, `GET /openapi.yaml` (byte-identical to the committed
 * root openapi.yaml) and `GET /docs`, an interactive reference served from node_modules.
 *
 * Why Scalar (@scalar/api-reference): its browser build is one self-contained script (no CSS or
 * font files to serve beside it), it renders OpenAPI 3.1 including `oneOf` event unions, and its
 * built-in client sends any documented header, so "try it" can send `Range: bytes=0-1023` to
 * the stream route and show the 206. Swagger UI needs a bundle, a preset and a stylesheet, and
 * its 3.1 support is younger.
 */
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type Router from "@koa/router";

const require = createRequire(import.meta.url);
/** The package's browser build; `exports` does not list it, so it is found from the main entry. */
const SCALAR_SCRIPT = join(
  dirname(require.resolve("@scalar/api-reference")),
  "browser",
  "standalone.js",
);

/**
 * Every URL is same-origin. `withDefaultFonts: false` keeps Scalar from loading fonts from its
 * CDN, `telemetry: false` and no `proxyUrl` keep requests on this server: the document's server
 * is the relative `/`, so "try it" calls the server that served the page.
 */
const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Reel API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/scalar.js"></script>
    <script>
      Scalar.createApiReference("#app", {
        url: "/openapi.json",
        withDefaultFonts: false,
        showDeveloperTools: "never",
        telemetry: false,
        hideClientButton: false,
        proxyUrl: "",
        agent: { disabled: true },
        mcp: { disabled: true },
      });
    </script>
  </body>
</html>
`;

interface Documents {
  json: string;
  yaml: string;
}
let documents: Promise<Documents> | undefined;

/**
 * Built once, on first use: the registry is fixed at start and the yaml must match the committed
 * bytes. Loaded lazily because the generator and `yaml` cost ~10 MB of RSS that a server which
 * only streams video never needs (measured with process.memoryUsage() at idle).
 */
function loadDocuments(): Promise<Documents> {
  documents ??= import("../openapi/document.js").then(
    ({ buildOpenApiDocument, buildOpenApiYaml }) => ({
      json: `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`,
      yaml: buildOpenApiYaml(),
    }),
  );
  return documents;
}

/** Mounts the document and docs routes. */
export function registerOpenApiRoutes(router: Router): void {
  router.get("/openapi.json", async (ctx) => {
    ctx.type = "application/json; charset=utf-8";
    ctx.body = (await loadDocuments()).json;
  });

  router.get("/openapi.yaml", async (ctx) => {
    ctx.type = "application/yaml; charset=utf-8"; // RFC 9512
    ctx.body = (await loadDocuments()).yaml;
  });

  router.get("/docs", (ctx) => {
    ctx.type = "text/html; charset=utf-8";
    ctx.body = DOCS_HTML;
  });

  router.get("/docs/scalar.js", (ctx) => {
    ctx.type = "text/javascript; charset=utf-8";
    ctx.set("Cache-Control", "public, max-age=3600");
    ctx.body = createReadStream(SCALAR_SCRIPT);
  });
}
