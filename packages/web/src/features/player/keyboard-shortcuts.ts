import { type RefObject, useEffect } from "react";

/** Seconds that ← and → jump. */
export const SEEK_STEP_SECONDS = 5;

/** The player actions the keyboard can trigger. */
export interface PlayerActions {
  togglePlay(): void;
  seekBy(seconds: number): void;
  toggleFullscreen(): void;
}

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) {
    return true;
  }
  if (target instanceof HTMLSelectElement) {
    return true;
  }
  return target instanceof HTMLInputElement && target.type !== "range";
}

function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement;
}

/** Maps one key press to an action, or null when the key belongs to the focused element. */
export function shortcutFor(
  event: Pick<KeyboardEvent, "key" | "target" | "altKey" | "ctrlKey" | "metaKey">,
): "togglePlay" | "toggleFullscreen" | "back" | "forward" | null {
  if (event.altKey || event.ctrlKey || event.metaKey || isTextEntry(event.target)) {
    return null;
  }
  switch (event.key) {
    case " ":
      // Space on a focused button already clicks it.
      return isActivatable(event.target) ? null : "togglePlay";
    case "ArrowLeft":
      return "back";
    case "ArrowRight":
      return "forward";
    case "f":
    case "F":
      return "toggleFullscreen";
    default:
      return null;
  }
}

/** Space play/pause, ←/→ ±5 s, f fullscreen — anywhere on the page except in text fields. */
export function useKeyboardShortcuts(actions: RefObject<PlayerActions>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const shortcut = shortcutFor(event);
      if (shortcut === null) {
        return;
      }
      // Stops the page scrolling on space/arrows and the seek slider stepping on its own.
      event.preventDefault();
      const current = actions.current;
      if (shortcut === "back") {
        current.seekBy(-SEEK_STEP_SECONDS);
      } else if (shortcut === "forward") {
        current.seekBy(SEEK_STEP_SECONDS);
      } else {
        current[shortcut]();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [actions]);
}
