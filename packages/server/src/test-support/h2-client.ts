/**
 * HTTP/2 and HTTPS clients for black-box tests of the TLS server: `node:http2` sessions (one
 * connection, many streams) and HTTP/1.1 over TLS, both trusting the test certificate.
 */
import { type ClientHttp2Session, connect, type IncomingHttpHeaders } from "node:http2";
import { request } from "node:https";
import type { RawResponse } from "./raw-request.js";

/** Opens an HTTP/2 session to `baseUrl` (`https://…`) and resolves once it is connected. */
export function connectHttp2(baseUrl: string, ca: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(baseUrl, { ca });
    session.once("connect", () => {
      session.off("error", reject);
      session.on("error", () => {}); // a reset connection fails its streams, which tests inspect
      resolve(session);
    });
    session.once("error", reject);
  });
}

/** Options for one request: method (GET) and request headers. */
export interface Http2RequestOptions {
  method?: string;
  headers?: Record<string, string>;
}

/** One request on `session`; collects status, headers (lower-case) and the whole body. */
export function http2Request(
  session: ClientHttp2Session,
  path: string,
  options: Http2RequestOptions = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": options.method ?? "GET",
      ":path": path,
      ...options.headers,
    });
    let head: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on("response", (headers) => {
      head = headers;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const { ":status": status, ...headers } = head;
      resolve({ status: Number(status), headers, body: Buffer.concat(chunks) });
    });
    stream.on("error", reject);
    stream.end();
  });
}

/** One HTTP/1.1 request over TLS on a new connection (`agent: false`), trusting `ca`. */
export function httpsRequest(
  baseUrl: string,
  ca: string,
  path: string,
  options: Http2RequestOptions = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      { method: options.method ?? "GET", headers: options.headers, ca, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * An HTTP/2 client that behaves like a browser towards one origin: every request on one
 * connection, and a new connection once the server has sent GOAWAY (RFC 9113 §6.8).
 */
export class Http2Origin {
  private current: Promise<ClientHttp2Session> | undefined;
  private opened = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly ca: string,
  ) {}

  /** Connections opened so far. */
  get connections(): number {
    return this.opened;
  }

  /** The open connection, or a new one when the last was told to go away (one at a time). */
  async session(): Promise<ClientHttp2Session> {
    for (;;) {
      const pending = this.current;
      const session = pending === undefined ? undefined : await pending;
      if (session !== undefined && !session.closed && !session.destroyed) {
        return session;
      }
      // Checked right after the await, with no await in between: only one caller reconnects.
      if (this.current === pending) {
        this.opened += 1;
        this.current = connectHttp2(this.baseUrl, this.ca);
      }
    }
  }

  /** Closes the current connection. */
  async close(): Promise<void> {
    (await this.current)?.close();
  }
}
