import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { SubtitleTrack } from "../../lib/reel";
import { CaptionsIcon } from "../player/icons";

/** Props of the CC control. */
export interface SubtitlesMenuProps {
  tracks: readonly SubtitleTrack[];
  active: SubtitleTrack | null;
  onChoose(track: SubtitleTrack | null): void;
  disabled?: boolean;
}

/**
 * The CC button and its menu: "Off" and each track, one checked (the WAI-ARIA menu button
 * pattern: ↑/↓/Home/End move, Enter/Space choose, Escape closes back to the button).
 */
export function SubtitlesMenu({ tracks, active, onChoose, disabled }: SubtitlesMenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const options = [
    { key: "off", label: "Off", track: null },
    ...tracks.map((track) => ({ key: track.url, label: track.label, track })),
  ];

  useEffect(() => {
    if (!open) {
      return;
    }
    menuRef.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) {
        setOpen(false);
      }
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = Array.from(
      menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [],
    );
    const focused = document.activeElement;
    const index = focused instanceof HTMLElement ? items.indexOf(focused) : -1;
    const moves: Record<string, number> = {
      ArrowDown: (index + 1) % items.length,
      ArrowUp: (index - 1 + items.length) % items.length,
      Home: 0,
      End: items.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      items[target]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <div className="subtitles" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={active ? "icon-button subtitles-on" : "icon-button"}
        aria-label="Subtitles"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-active-lang={active?.lang ?? "off"}
        onClick={() => setOpen((wasOpen) => !wasOpen)}
        disabled={disabled}
      >
        <CaptionsIcon on={active !== null} />
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Subtitles"
          className="subtitles-menu"
          onKeyDown={onMenuKeyDown}
        >
          {options.map((option) => {
            const checked = (option.track?.url ?? null) === (active?.url ?? null);
            return (
              <button
                key={option.key}
                type="button"
                role="menuitemradio"
                aria-checked={checked}
                tabIndex={checked ? 0 : -1}
                lang={option.track?.lang === "und" ? undefined : option.track?.lang}
                onClick={() => {
                  onChoose(option.track);
                  close();
                }}
              >
                {option.label}
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
