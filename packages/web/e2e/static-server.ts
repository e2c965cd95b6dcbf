// A plain-HTTP static file server for a built player bundle, on 127.0.0.1 and an ephemeral port:
// the page's origin when the API runs elsewhere (the bundle was built with VITE_API_URL).
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, resolve } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

/** A running static server. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>`, to add to the API's CORS origins. */
  origin: string;
  close(): Promise<void>;
}

/** Serves `root` (`/` → `index.html`; anything outside `root` or missing → 404). */
export async function serveStatic(root: string): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = resolve(join(base, pathname === "/" ? "index.html" : pathname));
    if (relative(base, file).startsWith("..")) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
        res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  // A TCP server listening on a host always has an AddressInfo, never a pipe name.
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
