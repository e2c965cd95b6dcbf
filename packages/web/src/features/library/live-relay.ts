/**
 * One live-library connection per browser instead of one per tab. A browser opens at most six
 * HTTP/1.1 connections per host, and an open event stream holds one for good: with a stream
 * per tab, the fourth player tab (stream + video each) waited forever for a connection.
 *
 * Every tab asks for the same Web Lock; the tab holding it (the leader) runs the SDK's
 * `watchVideos` and relays what it hears over a `BroadcastChannel`. When the leader closes, the
 * browser releases its lock and grants it to the next waiting tab at once. That tab continues
 * from the last event id it saw relayed (the SDK's `lastEventId`): the server replays whatever
 * came after it, so no event is lost in the handover, and one that arrives twice is dropped by
 * its id.
 */
import type { LibraryEvent, WatchStatus } from "../../lib/reel";

/** The part of the Web Locks API the relay uses: `navigator.locks`. */
export interface LockManagerLike {
  /**
   * Runs `callback` once the exclusive lock `name` is granted and holds it until the returned
   * promise settles. Aborting `signal` before the grant rejects with an `AbortError`.
   */
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown>;
}

/** The part of `BroadcastChannel` the relay uses: delivers to every other tab of the origin. */
export interface RelayChannel {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** The subset of the SDK's `watchVideos` the leader calls. */
export type WatchFunction = (
  onEvent: (event: LibraryEvent) => void,
  options: {
    lastEventId?: string;
    onStatus?: (status: WatchStatus) => void;
    onLastEventId?: (id: string) => void;
  },
) => () => void;

/** Whether this tab holds the connection for all tabs or listens to the one that does. */
export type RelayRole = "leader" | "follower";

/** What `startLiveRelay` needs. */
export interface LiveRelayOptions {
  /** Lock name; tabs sharing it share one connection. Include the API's base URL. */
  name: string;
  locks: LockManagerLike;
  /** The channel named after the relay, e.g. `new BroadcastChannel(name)`. */
  channel: RelayChannel;
  /** Opens the real connection while this tab leads (the SDK's `watchVideos`). */
  watch: WatchFunction;
  onEvent(event: LibraryEvent): void;
  /** The stream's status as the leader sees it; "connecting" until a leader has answered. */
  onStatus(status: WatchStatus): void;
  onRole?(role: RelayRole): void;
}

/** Messages between tabs. Every tab also receives `event`s it relayed before it led. */
type RelayMessage =
  | { type: "hello" }
  | { type: "state"; status: WatchStatus; lastEventId: string }
  | { type: "event"; event: LibraryEvent };

/** How many recent event ids each tab remembers to drop a replayed duplicate. */
const REMEMBERED_IDS = 256;

function isRelayMessage(value: unknown): value is RelayMessage {
  if (typeof value !== "object" || value === null || !("type" in value)) {
    return false;
  }
  return value.type === "hello" || value.type === "state" || value.type === "event";
}

function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/**
 * Joins the relay: follows the leader's stream, and leads when this tab gets the lock. Returns
 * the function that leaves it (stops the stream if leading, so the next tab takes over).
 */
export function startLiveRelay(options: LiveRelayOptions): () => void {
  const { channel } = options;
  let stopped = false;
  let leading = false;
  let status: WatchStatus = "connecting";
  let lastEventId = "";
  const recentIds: string[] = [];
  let stopLeading: (() => void) | null = null;

  const setStatus = (next: WatchStatus) => {
    if (next !== status) {
      status = next;
      options.onStatus(next);
    }
  };
  const post = (message: RelayMessage) => {
    if (!stopped) {
      channel.postMessage(message);
    }
  };
  const postState = () => post({ type: "state", status, lastEventId });

  /** Hands an event to this tab once; false when it was seen already (a replay). */
  const deliver = (event: LibraryEvent): boolean => {
    if (event.id !== "") {
      if (recentIds.includes(event.id)) {
        return false;
      }
      recentIds.push(event.id);
      if (recentIds.length > REMEMBERED_IDS) {
        recentIds.shift();
      }
      lastEventId = event.id;
    }
    options.onEvent(event);
    return true;
  };

  channel.addEventListener("message", (message) => {
    const data: unknown = message.data;
    if (stopped || !isRelayMessage(data)) {
      return;
    }
    switch (data.type) {
      case "hello":
        if (leading) {
          postState();
        }
        return;
      case "state":
        // A late message from a leader that has since handed over must not override ours.
        if (!leading) {
          lastEventId = data.lastEventId || lastEventId;
          setStatus(data.status);
        }
        return;
      case "event":
        deliver(data.event);
        return;
    }
  });

  const lead = () =>
    new Promise<void>((release) => {
      leading = true;
      options.onRole?.("leader");
      setStatus("connecting");
      postState();
      const unwatch = options.watch(
        (event) => {
          if (deliver(event)) {
            post({ type: "event", event });
          }
        },
        {
          lastEventId: lastEventId || undefined,
          onStatus(next) {
            setStatus(next);
            postState();
          },
          onLastEventId(id) {
            if (id !== lastEventId) {
              lastEventId = id;
              postState();
            }
          },
        },
      );
      stopLeading = () => {
        unwatch();
        release();
      };
    });

  options.onRole?.("follower");
  post({ type: "hello" });
  const pending = new AbortController();
  options.locks
    .request(options.name, { signal: pending.signal }, async () => {
      if (!stopped) {
        await lead();
      }
    })
    .catch((error: unknown) => {
      // Leaving before the lock was granted aborts the request; nothing else can fail here.
      if (!isAbortError(error)) {
        throw error;
      }
    });

  return () => {
    if (stopped) {
      return;
    }
    stopped = true;
    pending.abort();
    stopLeading?.();
    channel.close();
  };
}
