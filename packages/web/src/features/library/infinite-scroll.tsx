import { useEffect, useRef } from "react";

/** Props of the end-of-list trigger. */
export interface LoadMoreProps {
  busy: boolean;
  onLoadMore(): void;
}

/**
 * Sits after the last row: scrolling it into view loads the next page (IntersectionObserver),
 * and it is also a plain button for keyboards and for browsers without the observer.
 */
export function LoadMore({ busy, onLoadMore }: LoadMoreProps) {
  const ref = useRef<HTMLButtonElement>(null);
  const callback = useRef(onLoadMore);
  useEffect(() => {
    callback.current = onLoadMore;
  });

  useEffect(() => {
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
  }, []);

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
