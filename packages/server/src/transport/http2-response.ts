/**
 * The response object of Reel's HTTP/2 requests: Node's compat `Http2ServerResponse`, made to
 * answer `destroyed` and `socket` as `http.ServerResponse` does once the client has gone, which
 * is what the stream route, Koa and its `on-finished` look at.
 *
 * - `destroyed`: Node 20's class has none (though @types/node declares one), so it reads
 *   `undefined`. The stream route (files/send-range.ts) checks it when a disk read completes: if
 *   the client reset the stream during that read, it would write into the dead response, wait
 *   for a 'drain' that never comes, and never release the file's descriptor.
 * - `socket`: Node drops it the moment the stream closes, where `http.ServerResponse` keeps its
 *   socket after an abort. Koa sets a body stream after an `await`; if the client reset the
 *   stream in between (a seeking player does), `on-finished` finds no socket, waits for a
 *   'socket' event that never comes, and Koa never destroys the body, which holds a descriptor
 *   (the multipart body). Kept, the socket reads `writable: false` and the body is destroyed.
 * Both leaked one descriptor reference per request before (tested in http2.test.ts).
 */
import { type Http2ServerRequest, Http2ServerResponse, type ServerHttp2Stream } from "node:http2";

/** `Http2ServerResponse` with `destroyed` and a `socket` that outlives the stream. */
export class Http2Response<
  Request extends Http2ServerRequest = Http2ServerRequest,
> extends Http2ServerResponse<Request> {
  readonly #socket: Http2ServerResponse["socket"];

  constructor(stream: ServerHttp2Stream) {
    super(stream);
    // Node's getter, while the stream is open: a proxy whose `writable`/`destroyed` follow it.
    this.#socket = Reflect.get(Http2ServerResponse.prototype, "socket", this);
  }

  static {
    // Getters defined here, not as class members: TypeScript will not let a subclass turn the
    // properties @types/node declares into accessors (TS2611).
    Object.defineProperties(Http2Response.prototype, {
      destroyed: {
        get(this: Http2Response): boolean {
          return this.stream.destroyed;
        },
      },
      socket: {
        get(this: Http2Response): Http2ServerResponse["socket"] {
          return this.#socket;
        },
      },
    });
  }
}
