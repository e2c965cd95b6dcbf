// @ts-check
// A compatibility shim for Firefox's media stack, registered by the player only in Gecko (see
// src/features/player/seek-shim.ts). Reel's video responses carry `Content-Encoding: identity`
// (SPEC.md). "identity" means no coding at all (RFC 9110 §8.4.1), so byte offsets in the body are
// offsets in the file; but Firefox's media cache treats ANY Content-Encoding as compressed
// (ChannelMediaResource::IsPayloadCompressed) and then never asks for a range: a seek past what
// it has buffered cannot be answered. This worker hands the media element the same response
// without that one header: same status (200/206), same Content-Range, same bytes. Anything else
// (other codings, other URLs, other methods) is not touched.
//
// A classic script at the bundle's root, so its scope covers the page in `vite dev` and in the
// built bundle alike; type-checked through tsconfig.sw.json (the WebWorker lib), tested by
// src/features/player/video-sw.test.ts, which runs this file in a stand-in worker scope.

/** Only the video stream (`GET /api/video/{name}`) is rewritten; the listing and events are not. */
const VIDEO_PATH = "/api/video/";

// The scope a service worker runs in; TypeScript's WebWorker lib types `self` as a plain
// WorkerGlobalScope, which it cannot know is the service-worker kind.
const scope = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/**
 * True when `headers` declare exactly the identity coding (no coding at all), the only case
 * where dropping the header leaves the representation unchanged.
 * @param {Headers} headers
 * @returns {boolean}
 */
function isIdentityOnly(headers) {
  const coding = headers.get("content-encoding");
  return coding !== null && coding.trim().toLowerCase() === "identity";
}

/**
 * The response the media element gets: `upstream` itself unless it says only
 * `Content-Encoding: identity`, else the same status, headers and body without that header.
 * The body is read through a stream whose cancel (the element dropped the request: a seek
 * elsewhere, the element removed, the idle release) cancels the upstream body, which aborts the
 * worker's own request and frees its connection.
 * @param {Response} upstream
 * @returns {Response}
 */
function withoutIdentityCoding(upstream) {
  if (!isIdentityOnly(upstream.headers) || upstream.body === null) {
    return upstream;
  }
  const headers = new Headers(upstream.headers);
  headers.delete("content-encoding");
  const reader = upstream.body.getReader();
  const body = new ReadableStream({
    async pull(stream) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          stream.close();
        } else {
          stream.enqueue(value);
        }
      } catch (error) {
        stream.error(error);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers,
  });
}

/**
 * Fetches the intercepted request as it is and answers without the identity coding. The request
 * goes unchanged: a media request is `no-cors`, and copying it with any init (even just a signal)
 * drops its `Range` header (a privileged no-CORS request-header, Fetch §2.2.2). Its own signal
 * aborts the fetch if the page gives up before the response starts.
 * @param {Request} request
 * @returns {Promise<Response>}
 */
async function fetchVideo(request) {
  return withoutIdentityCoding(await fetch(request));
}

scope.addEventListener("install", () => {
  // Take over at once: the player waits for this worker before giving the element its source.
  void scope.skipWaiting();
});

scope.addEventListener("activate", (event) => {
  event.waitUntil(scope.clients.claim());
});

scope.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (
    request.method !== "GET" ||
    url.origin !== scope.location.origin ||
    !url.pathname.includes(VIDEO_PATH)
  ) {
    return;
  }
  event.respondWith(fetchVideo(request));
});
