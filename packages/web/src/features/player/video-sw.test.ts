// public/video-sw.js is a classic worker script, not a module: it runs here as it runs in the
// browser, in a context of its own, against a stand-in worker scope and a stubbed `fetch`.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";

// A path, not a URL: jsdom's URL (the test environment's global) is not one `fs` accepts.
const SOURCE = readFileSync(
  resolve(dirname(fileURLToPath(import.meta.url)), "../../../public/video-sw.js"),
  "utf8",
);
const ORIGIN = "http://localhost:5173";
/** send's fixture: byte offsets are obvious. */
const FILE = "123456789";

type Listener = (event: FakeFetchEvent) => void;

interface FakeFetchEvent {
  request: Request;
  responded: Promise<Response> | null;
  respondWith(response: Promise<Response>): void;
}

/** Loads the worker with `upstream` as its network; returns what a page's request would get. */
function loadWorker(upstream: (request: Request) => Promise<Response>) {
  const listeners = new Map<string, Listener>();
  const fetched: Request[] = [];
  const scope = {
    location: new URL(`${ORIGIN}/video-sw.js`),
    addEventListener(type: string, listener: Listener) {
      listeners.set(type, listener);
    },
    skipWaiting: () => Promise.resolve(),
    clients: { claim: () => Promise.resolve() },
  };
  runInNewContext(SOURCE, {
    self: scope,
    fetch(request: Request) {
      fetched.push(request);
      return upstream(request);
    },
    Headers,
    Response,
    ReadableStream,
    URL,
  });
  return {
    fetched,
    /** The response the worker answers `request` with, or null when it lets it through. */
    intercept(request: Request): Promise<Response> | null {
      const event: FakeFetchEvent = {
        request,
        responded: null,
        respondWith(response) {
          event.responded = response;
        },
      };
      listeners.get("fetch")?.(event);
      return event.responded;
    },
  };
}

/** What Reel answers to `Range: bytes=2-4` of FILE, with `coding` as Content-Encoding. */
function partial(coding: string | null): Response {
  const headers = new Headers({
    "Content-Type": "video/mp4",
    "Content-Range": `bytes 2-4/${FILE.length}`,
    "Content-Length": "3",
    "Accept-Ranges": "bytes",
    ETag: '"abc"',
  });
  if (coding !== null) {
    headers.set("Content-Encoding", coding);
  }
  return new Response(FILE.slice(2, 5), { status: 206, statusText: "Partial Content", headers });
}

function videoRequest(init: RequestInit = {}, path = "/api/video/big_final.mp4"): Request {
  return new Request(`${ORIGIN}${path}`, { headers: { Range: "bytes=2-" }, ...init });
}

describe("the video service worker", () => {
  describe("when a video response says Content-Encoding: identity", () => {
    it("answers with the same status, range and bytes, without the header", async () => {
      const worker = loadWorker(() => Promise.resolve(partial("identity")));
      const response = await worker.intercept(videoRequest());
      expect(response?.status).toBe(206);
      expect(response?.statusText).toBe("Partial Content");
      expect(response?.headers.get("content-encoding")).toBeNull();
      expect(response?.headers.get("content-range")).toBe("bytes 2-4/9");
      expect(response?.headers.get("etag")).toBe('"abc"');
      expect(await response?.text()).toBe("345");
    });

    it("passes the page's request on as it is, Range included", async () => {
      const worker = loadWorker(() => Promise.resolve(partial("identity")));
      const request = videoRequest();
      await worker.intercept(request);
      expect(worker.fetched).toEqual([request]);
      expect(worker.fetched[0]?.headers.get("range")).toBe("bytes=2-");
    });

    it("reads the header case-insensitively", async () => {
      const worker = loadWorker(() => Promise.resolve(partial(" Identity ")));
      const response = await worker.intercept(videoRequest());
      expect(response?.headers.get("content-encoding")).toBeNull();
    });

    it("cancels the upstream body when the page cancels the answer", async () => {
      let cancelled: unknown = null;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode(FILE));
        },
        cancel(reason) {
          cancelled = reason;
        },
      });
      const worker = loadWorker(() =>
        Promise.resolve(
          new Response(endless, { status: 206, headers: { "Content-Encoding": "identity" } }),
        ),
      );
      const response = await worker.intercept(videoRequest());
      const reader = response?.body?.getReader();
      await reader?.read();
      await reader?.cancel("seeked elsewhere");
      expect(cancelled).toBe("seeked elsewhere");
    });
  });

  describe("when a video response has another coding or none", () => {
    it.each([["gzip"], ["identity, gzip"], [null]])(
      "hands it on untouched (%s)",
      async (coding) => {
        const original = partial(coding);
        const worker = loadWorker(() => Promise.resolve(original));
        expect(await worker.intercept(videoRequest())).toBe(original);
      },
    );
  });

  describe("when the request is not a video stream of this origin", () => {
    it.each([
      ["the listing", videoRequest({}, "/api/videos?limit=5")],
      ["live events", videoRequest({}, "/api/videos/events")],
      ["a HEAD", videoRequest({ method: "HEAD" })],
      ["another origin", new Request("http://127.0.0.1:8000/api/video/a.mp4")],
    ])("leaves %s to the browser", (_name, request) => {
      const worker = loadWorker(() => Promise.reject(new Error("must not fetch")));
      expect(worker.intercept(request)).toBeNull();
      expect(worker.fetched).toEqual([]);
    });
  });
});
