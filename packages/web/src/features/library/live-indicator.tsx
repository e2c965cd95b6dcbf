import type { LiveRole, LiveStatus } from "./use-live-events";

const LABELS: Record<LiveStatus, string> = {
  open: "Live",
  connecting: "Connecting…",
  retrying: "Offline, retrying…",
};

const DESCRIPTIONS: Record<LiveStatus, string> = {
  open: "Live updates on: new, changed and removed videos show up by themselves",
  connecting: "Connecting to live updates",
  retrying: "Live updates are down; reconnecting",
};

const ROLES: Record<LiveRole, string> = {
  leader: " (this tab holds the connection for all Reel tabs)",
  follower: " (shared with the other Reel tabs)",
  solo: "",
};

/**
 * A small dot + word that tells whether live library updates are flowing. `data-role` says
 * which tab holds the shared connection, for people debugging and for the browser tests.
 */
export function LiveIndicator({ status, role = "solo" }: { status: LiveStatus; role?: LiveRole }) {
  return (
    <output
      className={`live live-${status}`}
      title={DESCRIPTIONS[status] + ROLES[role]}
      aria-live="polite"
      data-role={role}
    >
      <span className="live-dot" aria-hidden="true" />
      <span>{LABELS[status]}</span>
    </output>
  );
}
