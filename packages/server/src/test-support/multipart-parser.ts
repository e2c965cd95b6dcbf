/**
 * A deliberately independent `multipart/byteranges` reader for tests: it splits a body on its
 * boundary the way RFC 2046 §5.1.1 describes, so the server's writer is checked, not echoed.
 */

/** One parsed part: its headers (lower-cased names) and its bytes. */
export interface ParsedPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** The boundary parameter of a `multipart/byteranges` Content-Type. */
export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/byteranges;\s*boundary=("?)([^";]+)\1$/i.exec(contentType ?? "");
  if (!match?.[2]) {
    throw new Error(`not a multipart/byteranges type: ${contentType}`);
  }
  return match[2];
}

/** Splits `body` into its parts; throws when the framing is wrong. */
export function parseMultipart(body: Buffer, boundary: string): ParsedPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: ParsedPart[] = [];
  let cursor = body.indexOf(delimiter);
  if (cursor !== 0) {
    throw new Error("body must start with the first delimiter");
  }
  for (;;) {
    cursor += delimiter.length;
    if (body.subarray(cursor, cursor + 4).toString() === "--\r\n") {
      if (cursor + 4 !== body.length) {
        throw new Error("bytes after the close delimiter");
      }
      return parts;
    }
    if (body.subarray(cursor, cursor + 2).toString() !== "\r\n") {
      throw new Error("delimiter not followed by CRLF");
    }
    cursor += 2;
    const headerEnd = body.indexOf("\r\n\r\n", cursor);
    const headers: Record<string, string> = {};
    for (const line of body.subarray(cursor, headerEnd).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const dataStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), dataStart);
    if (next === -1) {
      throw new Error("part not closed by a delimiter");
    }
    parts.push({ headers, body: body.subarray(dataStart, next) });
    cursor = next + 2;
  }
}
