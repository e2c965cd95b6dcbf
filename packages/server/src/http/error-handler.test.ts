import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RepresentationChangedError } from "../storage/store.js";
import { createMemoryLogger } from "../test-support/memory-logger.js";
import { detailOf, rawRequest } from "../test-support/raw-request.js";
import { createErrorHandler } from "./error-handler.js";
import { HttpError } from "./errors.js";

const { logger, lines } = createMemoryLogger();
let server: Server;
let port: number;

beforeAll(async () => {
  const app = new Koa();
  app.silent = true;
  app.use(createErrorHandler(logger));
  app.use((ctx) => {
    if (ctx.path === "/boom") {
      ctx.set("Content-Range", "bytes 0-1/2");
      throw new Error("database password is hunter2");
    }
    if (ctx.path === "/changed") {
      ctx.set("ETag", '"1-2-3-4"');
      ctx.set("Content-Range", "bytes 0-9/20");
      throw new RepresentationChangedError("clip.mp4", 5);
    }
    if (ctx.path === "/range") {
      throw new HttpError(416, "Invalid request range (Range:'bytes=9-')", {
        "Content-Range": "bytes */9",
      });
    }
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port; // a TCP listener's address is never a string
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("createErrorHandler", () => {
  it("answers an unexpected error with 500 and a generic JSON detail, no stack", async () => {
    const response = await rawRequest(port, "/boom");
    expect(response.status).toBe(500);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.body.toString()).toBe('{"detail":"Internal server error"}');
    expect(response.headers["content-range"]).toBeUndefined();
  });

  it("logs the real error with its stack", async () => {
    await rawRequest(port, "/boom");
    const logged = lines.find((line) => line.msg === "unexpected error");
    expect(logged).toMatchObject({ level: 50, method: "GET", url: "/boom" });
    expect(JSON.stringify(logged)).toContain("hunter2");
    expect(JSON.stringify(logged)).toContain("error-handler.test.ts");
  });

  it("answers an HttpError with its status, detail and headers", async () => {
    const response = await rawRequest(port, "/range");
    expect(response.status).toBe(416);
    expect(response.headers["content-range"]).toBe("bytes */9");
    expect(detailOf(response)).toBe("Invalid request range (Range:'bytes=9-')");
  });

  it("answers an unknown path with a JSON 404", async () => {
    const response = await rawRequest(port, "/nowhere");
    expect(response.status).toBe(404);
    expect(detailOf(response)).toBe("Not found: /nowhere");
  });

  it("answers a video that changed under both reads with 503, Retry-After and no validators, logged as a warning", async () => {
    const response = await rawRequest(port, "/changed");
    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("1");
    expect(response.headers.etag).toBeUndefined();
    expect(response.headers["content-range"]).toBeUndefined();
    expect(detailOf(response)).toBe("The video changed while it was being read; try again");
    expect(lines.find((line) => line.msg === "video changed while read")).toMatchObject({
      level: 40,
      url: "/changed",
    });
  });
});
