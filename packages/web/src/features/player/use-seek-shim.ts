import { useEffect, useState } from "react";
import { needsSeekShim, startSeekShim } from "./seek-shim";

/**
 * True once `videoUrl` may be given to the <video>: at once where the seek shim is not needed,
 * else when its worker controls the page (or it gave up waiting, see `startSeekShim`).
 */
export function useSeekShim(videoUrl: string): boolean {
  const [needed] = useState(() =>
    needsSeekShim(videoUrl, {
      userAgent: navigator.userAgent,
      hasServiceWorker: "serviceWorker" in navigator,
      origin: window.location.origin,
    }),
  );
  const [ready, setReady] = useState(!needed);
  useEffect(() => {
    if (!needed) {
      return;
    }
    let active = true;
    void startSeekShim(navigator.serviceWorker).then(() => {
      if (active) {
        setReady(true);
      }
    });
    return () => {
      active = false;
    };
  }, [needed]);
  return ready;
}
