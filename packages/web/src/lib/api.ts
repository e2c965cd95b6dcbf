import { createReelClient } from "@reel/client";
import { resolveApiBaseUrl } from "../config/env";
import type { PlayerClient } from "./reel";

/** The one SDK instance the player uses, and where it points. */
export interface Api {
  client: PlayerClient;
  baseUrl: string;
}

/** Creates the SDK client for this page — the only place the player makes one. */
export function createApi(): Api {
  const baseUrl = resolveApiBaseUrl(import.meta.env, window.location.origin);
  return { client: createReelClient({ baseUrl }), baseUrl };
}
