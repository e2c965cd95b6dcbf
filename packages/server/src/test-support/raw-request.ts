/**
 * Raw `node:http` requests for black-box tests. Unlike `fetch`, the path goes out byte for byte
 * (no `..` or `%2e` normalisation), so confinement tests reach the server as an attacker sends them.
 */
import { type IncomingHttpHeaders, request } from "node:http";

/** A whole response: status, lower-cased headers, and the body bytes. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Options for one raw request. */
export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
}

/** Sends `method path` to 127.0.0.1:`port` as is and collects the response. */
export function rawRequest(
  port: number,
  path: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers: options.headers,
        agent: false,
      },
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

/** The JSON body of an error response. */
export function detailOf(response: RawResponse): unknown {
  const parsed: unknown = JSON.parse(response.body.toString("utf8"));
  return typeof parsed === "object" && parsed !== null && "detail" in parsed
    ? parsed.detail
    : undefined;
}
