import { useEffect, useRef, useState } from "react";
import type { LibraryEvent, PlayerClient, WatchStatus } from "../../lib/reel";
import { type LockManagerLike, type RelayRole, startLiveRelay } from "./live-relay";

/** State of the live event stream, as the SDK reports it. */
export type LiveStatus = WatchStatus;

/**
 * Who holds the connection: `leader` (this tab, for all tabs), `follower` (another tab relays
 * to this one), or `solo` (this tab alone: no Web Locks here, e.g. an http:// page on a LAN
 * address, which is not a secure context).
 */
export type LiveRole = RelayRole | "solo";

/** The stream's status and this tab's part in it. */
export interface LiveState {
  status: LiveStatus;
  role: LiveRole;
}

/** What the browser offers for sharing the stream between tabs. */
export interface TabSharing {
  locks: LockManagerLike;
  openChannel(name: string): BroadcastChannel;
}

/** `navigator.locks` and `BroadcastChannel` when both exist, else null (one stream per tab). */
export function detectTabSharing(): TabSharing | null {
  // `navigator.locks` is typed as always present, but only secure contexts have it.
  const locks: LockManagerLike | undefined = navigator.locks ?? undefined;
  if (!locks || typeof BroadcastChannel === "undefined") {
    return null;
  }
  return { locks, openChannel: (name) => new BroadcastChannel(name) };
}

/**
 * Subscribes to the library's Server-Sent Events for the component's lifetime and reports the
 * stream's status. The connection is shared by every tab of the player that talks to the same
 * `apiBaseUrl` (see `live-relay.ts`), unless `sharing` is null. After a dropped stream comes
 * back, `onEvent` also gets a `reset`, so the listing is fetched again: events that happened
 * while the server was down are then covered even when the server restarted and forgot its
 * event history.
 */
export function useLiveEvents(
  client: PlayerClient,
  onEvent: (event: LibraryEvent) => void,
  apiBaseUrl: string,
  sharing: TabSharing | null = detectTabSharing(),
): LiveState {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [role, setRole] = useState<LiveRole>(sharing ? "follower" : "solo");
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const sharingRef = useRef(sharing);

  useEffect(() => {
    let wasDown = false;
    const onStatus = (next: LiveStatus) => {
      setStatus(next);
      if (next === "retrying") {
        wasDown = true;
      } else if (next === "open" && wasDown) {
        wasDown = false;
        handler.current({ event: "reset", id: "", data: { reason: "reconnected" } });
      }
    };
    const deliver = (event: LibraryEvent) => handler.current(event);
    const tabs = sharingRef.current;
    if (!tabs) {
      setRole("solo");
      return client.watchVideos(deliver, { onStatus });
    }
    const name = `reel-live-events:${apiBaseUrl}`;
    return startLiveRelay({
      name,
      locks: tabs.locks,
      channel: tabs.openChannel(name),
      watch: (onRelayedEvent, options) => client.watchVideos(onRelayedEvent, options),
      onEvent: deliver,
      onStatus,
      onRole: setRole,
    });
  }, [client, apiBaseUrl]);

  return { status, role };
}
