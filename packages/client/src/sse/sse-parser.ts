/**
 * A Server-Sent Events parser (WHATWG HTML §9.2.6 "Event stream interpretation"). Hand-written
 * because Node 20 has no `EventSource`, `EventSource` cannot send headers, and the package allows
 * no runtime dependency besides openapi-fetch; the format is small enough to follow line by line.
 */

/** One dispatched event. */
export interface SseMessage {
  /** The `event:` field, `message` when absent. */
  event: string;
  /** The `data:` lines joined by `\n`. */
  data: string;
  /** The last event id at dispatch time (from this or an earlier event). */
  id: string;
}

/** What the parser reports. */
export interface SseHandlers {
  onMessage(message: SseMessage): void;
  /** A valid `retry:` field: the reconnection time in milliseconds. */
  onRetry?(ms: number): void;
}

/** Incremental parser: `feed` it decoded text as it arrives, in chunks of any size. */
export class SseParser {
  /** The id a reconnect must send as `Last-Event-ID`; updated when an event is dispatched. */
  lastEventId: string;
  readonly #handlers: SseHandlers;
  #buffer = "";
  // A chunk ended in CR: a LF starting the next chunk belongs to the same CRLF line break.
  #skipLeadingLf = false;
  #data: string[] = [];
  #eventType = "";
  #idBuffer: string;

  constructor(handlers: SseHandlers, lastEventId = "") {
    this.#handlers = handlers;
    this.lastEventId = lastEventId;
    this.#idBuffer = lastEventId;
  }

  /**
   * Forgets a half-received event, keeping only `lastEventId`: a new connection is a new stream,
   * and an event cut off by a dropped connection is never dispatched.
   */
  reset(): void {
    this.#buffer = "";
    this.#skipLeadingLf = false;
    this.#data = [];
    this.#eventType = "";
    this.#idBuffer = this.lastEventId;
  }

  /** Parses a chunk; complete lines are processed, an unfinished one waits for the next chunk. */
  feed(chunk: string): void {
    if (chunk === "") {
      return;
    }
    const text = this.#skipLeadingLf && chunk.startsWith("\n") ? chunk.slice(1) : chunk;
    this.#skipLeadingLf = false;
    const buffer = this.#buffer + text;
    let lineStart = 0;
    for (let i = 0; i < buffer.length; i += 1) {
      const char = buffer[i];
      if (char !== "\r" && char !== "\n") {
        continue;
      }
      const line = buffer.slice(lineStart, i);
      if (char === "\r") {
        if (i + 1 === buffer.length) {
          this.#skipLeadingLf = true;
        } else if (buffer[i + 1] === "\n") {
          i += 1;
        }
      }
      lineStart = i + 1;
      this.#processLine(line);
    }
    this.#buffer = buffer.slice(lineStart);
  }

  #processLine(line: string): void {
    if (line === "") {
      this.#dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return; // a comment, e.g. the server's `: ping` heartbeat
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    switch (field) {
      case "data":
        this.#data.push(value);
        break;
      case "event":
        this.#eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) {
          this.#idBuffer = value;
        }
        break;
      case "retry":
        if (/^\d+$/.test(value)) {
          this.#handlers.onRetry?.(Number(value));
        }
        break;
      default:
        break; // unknown fields are ignored, as the standard says
    }
  }

  #dispatch(): void {
    // The id is taken even from an event without data (the server opens with a bare `id:`).
    this.lastEventId = this.#idBuffer;
    const data = this.#data;
    const event = this.#eventType || "message";
    this.#data = [];
    this.#eventType = "";
    if (data.length === 0) {
      return;
    }
    this.#handlers.onMessage({ event, data: data.join("\n"), id: this.lastEventId });
  }
}
