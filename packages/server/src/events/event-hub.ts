/**
 * Fans library changes out to every open SSE connection, keeps the last events for
 * `Last-Event-ID` resume, and runs one heartbeat timer shared by all connections. In a cluster
 * the primary's hub numbers the events and each worker's hub continues its id space (`from`,
 * `relay`), so an id a browser got from one worker resumes on any other.
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { LibraryChange } from "../library/library.js";
import { formatEvent, formatPreamble, HEARTBEAT_FRAME } from "./sse.js";

/** One published event: its number in the hub's id space and its SSE frame. */
export interface HubEvent {
  seq: number;
  frame: string;
}

/** Where a hub stands: enough for another hub to continue its id space and resume window. */
export interface HubSnapshot {
  bootId: string;
  /** The newest event's number; 0 before the first. */
  seq: number;
  /** The events kept for resume, oldest first. */
  history: HubEvent[];
}

/** Tuning knobs; the defaults are the documented behaviour. */
export interface EventHubOptions {
  /** Events kept for resume. */
  historySize?: number;
  /** Milliseconds between `: ping` comments. */
  heartbeatMs?: number;
  /** Milliseconds a client waits before reconnecting (the SSE `retry:` field). */
  retryMs?: number;
  /** Bytes a slow client may have queued before it is dropped (it reconnects and resumes). */
  maxBufferedBytes?: number;
  /** Continue where this hub stands (a cluster worker mirroring the primary's hub). */
  from?: HubSnapshot;
}

/** Shared event fan-out with bounded history. */
export class EventHub {
  /** Identifies this run, so an id from before a restart is recognised as unknown. */
  readonly bootId: string;
  /** Told of every event after it was sent to this hub's connections (a primary relays it). */
  onEvent: (event: HubEvent) => void = () => undefined;
  private seq = 0;
  private readonly history: HubEvent[] = [];
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly historySize: number;
  private readonly heartbeatMs: number;
  private readonly retryMs: number;
  private readonly maxBufferedBytes: number;

  constructor(options: EventHubOptions = {}) {
    this.historySize = options.historySize ?? 1000;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.retryMs = options.retryMs ?? 2000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.bootId = options.from?.bootId ?? randomBytes(4).toString("hex");
    this.seq = options.from?.seq ?? 0;
    this.history.push(...(options.from?.history.slice(-this.historySize) ?? []));
  }

  /** Open connections right now. */
  get connectionCount(): number {
    return this.clients.size;
  }

  /** The id of the newest event, `<bootId>-<seq>`; `-0` before the first event. */
  get currentId(): string {
    return `${this.bootId}-${this.seq}`;
  }

  /** Numbers `change`, records it and sends it to every connection. */
  publish(change: LibraryChange): HubEvent {
    const seq = this.seq + 1;
    const event = { seq, frame: formatEvent(`${this.bootId}-${seq}`, change.event, change.data) };
    this.relay(event);
    return event;
  }

  /**
   * Records an event numbered elsewhere (by the hub this one continues) and sends it to every
   * connection; one not newer than the newest known is ignored.
   */
  relay(event: HubEvent): void {
    if (event.seq <= this.seq) {
      return;
    }
    this.seq = event.seq;
    this.history.push(event);
    if (this.history.length > this.historySize) {
      this.history.shift();
    }
    for (const client of this.clients) {
      this.write(client, event.frame);
    }
    this.onEvent(event);
  }

  /** Where this hub stands now, for another hub to continue from. */
  snapshot(): HubSnapshot {
    return { bootId: this.bootId, seq: this.seq, history: [...this.history] };
  }

  /**
   * Adopts a response whose SSE headers are already sent: replays what `lastEventId` missed (or
   * sends `reset` when that is no longer possible), then keeps it until it closes.
   */
  attach(response: ServerResponse, lastEventId: string | undefined): void {
    let opening = "";
    if (lastEventId !== undefined) {
      const missed = this.eventsAfter(lastEventId);
      opening =
        missed === undefined
          ? formatEvent(this.currentId, "reset", {
              reason: `Event ${lastEventId} is no longer available; list the library again.`,
            })
          : missed.map((event) => event.frame).join("");
    }
    this.clients.add(response);
    response.once("close", () => this.detach(response));
    this.write(response, opening + formatPreamble(this.retryMs, this.currentId));
    this.heartbeat ??= setInterval(() => this.ping(), this.heartbeatMs).unref();
  }

  /** Ends every connection and stops the heartbeat (server shutdown). */
  close(): void {
    for (const client of this.clients) {
      client.end();
    }
    this.clients.clear();
    this.stopHeartbeat();
  }

  /** Stored events after `lastEventId`, or `undefined` when the id is unknown or too old. */
  private eventsAfter(lastEventId: string): HubEvent[] | undefined {
    const match = /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastEventId);
    if (match === null || match[1] !== this.bootId) {
      return undefined;
    }
    const seen = Number(match[2]);
    const oldest = this.history[0]?.seq ?? this.seq + 1;
    if (seen > this.seq || seen < oldest - 1) {
      return undefined;
    }
    return this.history.filter((event) => event.seq > seen);
  }

  private write(client: ServerResponse, frame: string): void {
    if (client.writableLength > this.maxBufferedBytes) {
      client.destroy(); // a stalled reader must not grow memory; it will resume by id
      return;
    }
    client.write(frame);
  }

  private ping(): void {
    for (const client of this.clients) {
      this.write(client, HEARTBEAT_FRAME);
    }
  }

  private detach(client: ServerResponse): void {
    this.clients.delete(client);
    if (this.clients.size === 0) {
      this.stopHeartbeat();
    }
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
