/**
 * Registers public/video-sw.js where the browser's media stack cannot seek in Reel's videos: it
 * takes `Content-Encoding: identity` (which SPEC.md requires on every video response) to mean
 * "compressed" and then never asks for a byte range. Only Gecko (Firefox) does that.
 *
 * The choice is made from the user agent, not by a feature test: seeking is decided inside the
 * media stack, and the only probe would be to load a video bigger than the media cache and seek
 * past it, which costs megabytes and seconds before the player could start. Every other browser
 * keeps talking to the server directly, exactly as without the shim.
 */

/** How long the player waits for the worker to take the page over, in ms, before going on without it. */
export const SHIM_WAIT_MS = 2000;

/** What decides whether the shim is used: the browser and where the video comes from. */
export interface ShimContext {
  userAgent: string;
  /** False where there is no `navigator.serviceWorker` (an insecure origin, a locked-down profile). */
  hasServiceWorker: boolean;
  /** The page's origin. */
  origin: string;
}

/**
 * Firefox plays the video from the page's own origin and can run the worker. A video on another
 * origin is fetched `no-cors`: its headers are opaque to a worker, which could not rewrite them.
 */
export function needsSeekShim(videoUrl: string, context: ShimContext): boolean {
  return (
    context.hasServiceWorker &&
    context.userAgent.includes("Firefox/") &&
    new URL(videoUrl, context.origin).origin === context.origin
  );
}

let controlled: Promise<void> | null = null;

/**
 * Registers the worker once per page and resolves when it controls the page (on the first visit
 * it claims the page as soon as it activates; later visits start controlled), or after
 * `SHIM_WAIT_MS` whatever happened: without the worker the video still plays, only a seek past
 * Firefox's buffer stops at the buffer's end. Never rejects.
 */
export function startSeekShim(container: ServiceWorkerContainer): Promise<void> {
  controlled ??= new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      container.removeEventListener("controllerchange", done);
      resolve();
    };
    const timer = setTimeout(done, SHIM_WAIT_MS);
    container.addEventListener("controllerchange", done);
    container.register(new URL("video-sw.js", document.baseURI)).catch(done);
    if (container.controller) {
      done();
    }
  });
  return controlled;
}
