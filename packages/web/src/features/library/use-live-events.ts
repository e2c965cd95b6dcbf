import { useEffect, useRef, useState } from "react";
import type { LibraryEvent, PlayerClient, WatchStatus } from "../../lib/reel";

/** State of the live event stream, as the SDK reports it. */
export type LiveStatus = WatchStatus;

/**
 * Subscribes to the library's Server-Sent Events for the component's lifetime and reports the
 * stream's status. After a dropped stream comes back, `onEvent` also gets a `reset`, so the
 * listing is fetched again: events that happened while the server was down are then covered
 * even when the server restarted and forgot its event history.
 */
export function useLiveEvents(
  client: PlayerClient,
  onEvent: (event: LibraryEvent) => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });

  useEffect(() => {
    const controller = new AbortController();
    let wasDown = false;
    const unsubscribe = client.watchVideos((event) => handler.current(event), {
      signal: controller.signal,
      onStatus(next) {
        setStatus(next);
        if (next === "retrying") {
          wasDown = true;
        } else if (next === "open" && wasDown) {
          wasDown = false;
          handler.current({ event: "reset", id: "", data: { reason: "reconnected" } });
        }
      },
    });
    return () => {
      controller.abort();
      unsubscribe();
    };
  }, [client]);

  return status;
}
