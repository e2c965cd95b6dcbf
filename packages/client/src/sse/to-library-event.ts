/** Turns a parsed SSE message into a typed `LibraryEvent`, or `undefined` for anything else. */
import type { LibraryEvent } from "../types.js";
import type { SseMessage } from "./sse-parser.js";

function hasString(value: unknown, key: string): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    key in value &&
    typeof Reflect.get(value, key) === "string"
  );
}

/** The key each event's payload must carry; events of other types are skipped (forward compatible). */
const REQUIRED_KEY: Record<LibraryEvent["event"], string> = {
  added: "filename",
  changed: "filename",
  removed: "filename",
  reset: "reason",
};

function isLibraryEventType(event: string): event is LibraryEvent["event"] {
  return Object.hasOwn(REQUIRED_KEY, event);
}

/**
 * Reads one event. Unknown event types give `undefined`; a known type whose `data` is not JSON or
 * lacks its key throws, since that is a server bug worth reporting.
 */
export function toLibraryEvent(message: SseMessage): LibraryEvent | undefined {
  if (!isLibraryEventType(message.event)) {
    return undefined;
  }
  const data: unknown = JSON.parse(message.data);
  if (!hasString(data, REQUIRED_KEY[message.event])) {
    throw new TypeError(`Malformed ${message.event} event ${message.id}: ${message.data}`);
  }
  // The payload is the one openapi.yaml documents for this event type; only its key is checked
  // here, as a full schema validator would be a runtime dependency.
  return { event: message.event, id: message.id, data } as LibraryEvent;
}
