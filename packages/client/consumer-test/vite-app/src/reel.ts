import { createReelClient } from "@reel/client";

/** One SDK instance for the app. With Vite's dev proxy (or the app served by Reel) the page origin works. */
export const reel = createReelClient({
  baseUrl: import.meta.env.VITE_REEL_URL ?? window.location.origin,
});
