/** The Node peers Reel is compared with, each its own transpiled script. */
import { compilePeerScript } from "./compile.js";
import { startNodeServer } from "./node-process.js";
import type { PeerDefinition } from "./types.js";

/** Express 5 `express.static` (the `send` module). */
export const expressPeer: PeerDefinition = {
  id: "send",
  name: "express.static (send)",
  description: "Express 5.3.0 `express.static` → serve-static → send 1.2.1",
  start: (options) =>
    startNodeServer("express.static (send)", compilePeerScript("express-static"), options),
};

/** fastify 5 + @fastify/static. */
export const fastifyPeer: PeerDefinition = {
  id: "fastify",
  name: "@fastify/static",
  description: "fastify 5.12.8 + @fastify/static 10.1.11, logger off",
  start: (options) =>
    startNodeServer("@fastify/static", compilePeerScript("fastify-static"), options),
};

/** The seed's naive Koa handler (10,000-byte reads), the baseline. */
export const koaNaivePeer: PeerDefinition = {
  id: "koa-naive",
  name: "naive Koa (seed)",
  description: "koa 3.2.1, `createReadStream` with 10,000-byte chunks, `bytes=a-b` only",
  start: (options) => startNodeServer("naive Koa (seed)", compilePeerScript("koa-naive"), options),
};

/** Bare `node:http` + `stat` + `createReadStream().pipe()`: what Node costs per request. */
export const nodeHttpPeer: PeerDefinition = {
  id: "node-http",
  name: "node:http + createReadStream",
  description:
    "bare `node:http`, `fs.promises.stat`, `fs.createReadStream(path, { start, end }).pipe(res)`, empty 404",
  start: (options) =>
    startNodeServer("node:http + createReadStream", compilePeerScript("node-http"), options),
};
