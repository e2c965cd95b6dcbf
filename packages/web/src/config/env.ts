/** Build-time variables the player reads (Vite inlines `import.meta.env.VITE_*`). */
export interface PlayerEnv {
  VITE_API_URL?: string;
}

/**
 * Where the Reel API lives: `VITE_API_URL` when the bundle was built for another origin,
 * otherwise the page's own origin (the Vite dev proxy, or the API serving the static bundle).
 */
export function resolveApiBaseUrl(env: PlayerEnv, origin: string): string {
  const configured = env.VITE_API_URL?.trim();
  return configured ? configured.replace(/\/+$/, "") : origin;
}
