/**
 * Peer: the seed's naive Koa handler, the baseline Reel replaces. Deliberately as simple as the
 * seed: `fs.createReadStream` with 10,000-byte chunks, and only `bytes=a-b` / `bytes=a-` parsed
 * (a suffix `bytes=-n` is refused with 416, as the seed did). Run as its own process.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import Koa from "koa";

const CHUNK_SIZE = 10_000; // bytes, the seed's value
const dir = process.env.VIDEO_DIR ?? ".";
const prefix = "/api/video/";
const app = new Koa();

app.use(async (ctx) => {
  if (!ctx.path.startsWith(prefix)) {
    ctx.status = 404;
    return;
  }
  const path = join(dir, decodeURIComponent(ctx.path.slice(prefix.length)));
  const { size } = await stat(path);
  const range = ctx.get("Range");
  ctx.set("Accept-Ranges", "bytes");
  ctx.type = "video/mp4";
  if (range === "") {
    ctx.length = size;
    ctx.body = createReadStream(path, { highWaterMark: CHUNK_SIZE });
    return;
  }
  const match = /^bytes=(\d+)-(\d*)$/.exec(range);
  const start = Number(match?.[1]);
  const end = Math.min(match?.[2] ? Number(match[2]) : size - 1, size - 1);
  if (match === null || start > end) {
    ctx.status = 416;
    ctx.set("Content-Range", `bytes */${size}`);
    return;
  }
  ctx.status = 206;
  ctx.set("Content-Range", `bytes ${start}-${end}/${size}`);
  ctx.length = end - start + 1;
  ctx.body = createReadStream(path, { start, end, highWaterMark: CHUNK_SIZE });
});

app.listen(Number(process.env.PORT), "127.0.0.1");
