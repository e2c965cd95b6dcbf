/**
 * Peer: the bare `node:http` handler, the yardstick for what Node itself costs per request
 * (issue #17: Reel's 404s ≥ 0.8× this). Per request one `fs.promises.stat`, then
 * `fs.createReadStream(path, { start, end }).pipe(res)`; a missing file is a 404 with an empty
 * body. Range parsing is as small as byte-exactness allows: one `bytes=a-b`, `bytes=a-` or
 * `bytes=-n` (no lists, no If-Range), the end clamped to the file (RFC 9110 §14.1.2). Run as its
 * own process; PORT and VIDEO_DIR from the environment.
 */
import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import { join } from "node:path";

const PREFIX = "/api/video/";
// An empty 404 with a length, so the kept-alive connection needs no chunked terminator.
const NOT_FOUND = { "Content-Length": 0 };
const dir = process.env.VIDEO_DIR ?? ".";

createServer((req, res) => {
  const url = req.url ?? "";
  if (!url.startsWith(PREFIX)) {
    res.writeHead(404, NOT_FOUND).end();
    return;
  }
  const path = join(dir, decodeURIComponent(url.slice(PREFIX.length)));
  stat(path).then(
    (info) => serve(path, info.size, req.headers.range, res),
    () => {
      res.writeHead(404, NOT_FOUND).end(); // ENOENT or anything else: nothing to serve
    },
  );
}).listen(Number(process.env.PORT), "127.0.0.1");

function serve(path: string, size: number, range: string | undefined, res: ServerResponse): void {
  if (range === undefined) {
    res.writeHead(200, {
      "Content-Type": "video/mp4",
      "Content-Length": size,
      "Accept-Ranges": "bytes",
    });
    send(createReadStream(path), res);
    return;
  }
  const span = parseRange(range, size);
  if (span === undefined) {
    res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
    return;
  }
  const [start, end] = span;
  res.writeHead(206, {
    "Content-Type": "video/mp4",
    "Content-Length": end - start + 1,
    "Content-Range": `bytes ${start}-${end}/${size}`,
    "Accept-Ranges": "bytes",
  });
  send(createReadStream(path, { start, end }), res);
}

/** Pipes `body` into `res`; a client gone before the end frees the descriptor at once. */
function send(body: ReadStream, res: ServerResponse): void {
  // pipe() only unpipes when the socket closes: the stream would keep its fd open until GC.
  res.once("close", () => body.destroy());
  body.pipe(res);
}

/** The inclusive byte span of one `bytes=` range, or undefined when it cannot be served. */
function parseRange(header: string, size: number): [number, number] | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header);
  if (match === null || (match[1] === "" && match[2] === "")) {
    return undefined;
  }
  const [first, last] = [match[1] ?? "", match[2] ?? ""];
  const span: [number, number] =
    first === ""
      ? [Math.max(size - Number(last), 0), size - 1] // suffix: the last n bytes
      : [Number(first), last === "" ? size - 1 : Math.min(Number(last), size - 1)];
  return span[0] <= span[1] && span[0] < size ? span : undefined;
}
