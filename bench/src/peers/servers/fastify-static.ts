/**
 * Peer: fastify + @fastify/static, the other common Node choice. Run as its own process;
 * PORT and VIDEO_DIR come from the environment.
 */
import fastifyStatic from "@fastify/static";
import Fastify from "fastify";

const app = Fastify({ logger: false });
await app.register(fastifyStatic, {
  root: process.env.VIDEO_DIR ?? ".",
  prefix: "/api/video/",
  index: false,
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
