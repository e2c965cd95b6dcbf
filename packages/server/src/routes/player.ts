/**
 * The built web player at `/` (what `reel serve` ships in the package's `player/`): the player and
 * the API share one origin, so the player calls the API without CORS.
 *
 * Cache rules: Vite names every file under `assets/` after a hash of its content, so those are
 * cached for a year and never revalidated; `index.html` names the current hashes and is
 * revalidated on every load (`no-cache`, with a validator so the answer is usually a 304). A GET
 * for an unknown path that accepts HTML gets `index.html` too, so a deep link opens the player
 * (the SPA fallback of nginx's `try_files $uri /index.html`). `/api/*` is never touched: its
 * unknown paths keep their JSON 404.
 *
 * Written here rather than with koa-send: that library's one `maxage`/`immutable` pair covers
 * every file, and the fallback would still be a second middleware around it; what is needed is
 * a stat, two headers and a stream.
 */
import { createReadStream, type Stats } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import type { Context, Middleware } from "koa";

/** `assets/*` carry a content hash in their names (Vite's default `build.assetsDir`). */
const IMMUTABLE = "public, max-age=31536000, immutable"; // 1 year, the usual ceiling
/** Everything else, `index.html` first: may be stored, must be revalidated before use. */
const REVALIDATE = "no-cache";

/** Serves `playerDir` at `/` with the cache rules above; passes everything else on. */
export function createPlayerMiddleware(playerDir: string): Middleware {
  let root: Promise<string> | undefined;
  return async (ctx, next) => {
    if ((ctx.method !== "GET" && ctx.method !== "HEAD") || isApiPath(ctx.path)) {
      return next();
    }
    root ??= realpath(playerDir);
    const base = await root;
    const found = ctx.path === "/" ? undefined : await findFile(base, ctx.path);
    if (found !== undefined) {
      sendFile(ctx, found.path, found.stats, isHashedAsset(base, found.path));
      return;
    }
    if (ctx.path === "/" || acceptsHtml(ctx)) {
      const index = join(base, "index.html");
      const stats = await stat(index);
      if (ctx.path.lastIndexOf("/") === 0) {
        sendFile(ctx, index, stats, false);
      } else {
        await sendRebasedIndex(ctx, index, stats);
      }
      return;
    }
    return next();
  };
}

/** `/api` and everything under it belong to the API, found or not. */
function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** Only a browser navigating asks for HTML by name; `fetch()` and curl send `*\/*`. */
function acceptsHtml(ctx: Context): boolean {
  return ctx.get("Accept").includes("text/html");
}

function isHashedAsset(base: string, path: string): boolean {
  return relative(base, path).startsWith(`assets${sep}`);
}

/**
 * The regular file `urlPath` names inside `base`, or `undefined`: a path that does not decode,
 * holds NUL, has a dot segment (`..`, dotfiles) or resolves (symlinks included) outside `base`.
 */
async function findFile(
  base: string,
  urlPath: string,
): Promise<{ path: string; stats: Stats } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const segments = decoded.split(/[/\\]/).filter((segment) => segment !== "");
  if (decoded.includes("\0") || segments.some((segment) => segment.startsWith("."))) {
    return undefined;
  }
  try {
    const path = await realpath(join(base, ...segments));
    const inside = relative(base, path);
    if (inside === "" || inside.startsWith("..") || inside.startsWith(sep)) {
      return undefined;
    }
    const stats = await stat(path);
    return stats.isFile() ? { path, stats } : undefined;
  } catch {
    return undefined; // ENOENT, ENOTDIR, EACCES: not ours to serve
  }
}

/**
 * `index.html` for a deep path such as `/a/b`: the build refers to its assets relatively
 * (`./assets/…`, vite.config.ts `base: "./"`), which from `/a/b` would mean `/a/assets/…`, so a
 * `<base href="/">` goes in first. The player lives at the origin's root anyway: it calls the API
 * at its own origin (packages/web/src/config/env.ts).
 */
async function sendRebasedIndex(ctx: Context, index: string, stats: Stats): Promise<void> {
  setValidators(ctx, stats, "-rebased");
  ctx.status = 200;
  ctx.type = "html";
  ctx.set("Cache-Control", REVALIDATE);
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  const html = await readFile(index, "utf8");
  ctx.body = html.replace(/<head(\s[^>]*)?>/i, (head) => `${head}<base href="/">`);
}

function setValidators(ctx: Context, stats: Stats, variant = ""): void {
  ctx.set("Last-Modified", stats.mtime.toUTCString());
  const version = `${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}`;
  ctx.set("ETag", `W/"${version}${variant}"`);
}

/** Answers with `path`: type, validators, cache rule, 304 when fresh (RFC 9110 §13.1.3). */
function sendFile(ctx: Context, path: string, stats: Stats, immutable: boolean): void {
  ctx.status = 200;
  ctx.type = extname(path);
  ctx.set("Cache-Control", immutable ? IMMUTABLE : REVALIDATE);
  setValidators(ctx, stats);
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.length = stats.size;
  if (ctx.method === "GET") {
    ctx.body = createReadStream(path); // HEAD: koa ends the response after the headers
  }
}
