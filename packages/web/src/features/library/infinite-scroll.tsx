import { useEffect, useRef } from "react";

/** Props of the end-of-list trigger. */
export interface LoadMoreProps {
  busy: boolean;
  /** The cursor of the page this trigger loads; a new one means the end of the list moved. */
  nextCursor: string;
  onLoadMore(): void;
}

/**
 * Sits after the last row: scrolling it into view loads the next page (IntersectionObserver),
 * and it is also a plain button for keyboards and for browsers without the observer.
 */
export function LoadMore({ busy, nextCursor, onLoadMore }: LoadMoreProps) {
  const ref = useRef<HTMLButtonElement>(null);
  const callback = useRef(onLoadMore);
  useEffect(() => {
    callback.current = onLoadMore;
  });

  // A fresh observer for every new end of the list. An observer reports changes only, so one that
  // saw the end come into view while a page was loading (when `onLoadMore` does nothing) would stay
  // silent if that page left the end in view (a tall window, a short page): loading stalled. A new
  // observation always reports the current state once, so such a page is followed by the next.
  useEffect(() => {
    void nextCursor;
    const element = ref.current;
    if (!element || typeof IntersectionObserver === "undefined") {
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          callback.current();
        }
      },
      // Start loading a little before the end is visible.
      { rootMargin: "200px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [nextCursor]);

  return (
    <button
      ref={ref}
      type="button"
      className="load-more"
      onClick={onLoadMore}
      disabled={busy}
      aria-busy={busy}
    >
      {busy ? "Loading more…" : "Load more videos"}
    </button>
  );
}
