import type { LiveStatus } from "./use-live-events";

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

/** A small dot + word that tells whether live library updates are flowing. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <output className={`live live-${status}`} title={DESCRIPTIONS[status]} aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      <span>{LABELS[status]}</span>
    </output>
  );
}
