/** Pure Server-Sent Events framing (WHATWG HTML §9.2 "Server-sent events"). */

/** One frame: `id:`, `event:` and a single-line JSON `data:` (JSON never contains a raw newline). */
export function formatEvent(id: string, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The first bytes of every stream: the reconnection delay and the current id. A frame with an
 * `id:` but no `data:` dispatches no event yet still sets the client's last event id (WHATWG
 * "dispatch the event" step 1 runs before the empty-data check), so a client that connects,
 * sees nothing and reconnects still resumes from the right place.
 */
export function formatPreamble(retryMs: number, currentId: string): string {
  return `retry: ${retryMs}\nid: ${currentId}\n\n`;
}

/** A comment line: ignored by clients, but keeps proxies from closing an idle connection. */
export const HEARTBEAT_FRAME = ": ping\n\n";
