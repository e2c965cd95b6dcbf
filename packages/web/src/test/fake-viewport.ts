// An IntersectionObserver for jsdom (which has none) over a pretend viewport measured in list rows:
// an element is in view when no more rows than the viewport reaches sit above it. Like a browser's,
// each observer reports an element once when it starts observing it (in a later task, so on the
// test's fake clock) and afterwards only when its state changes.
import { vi } from "vitest";

/** The pretend window the fake observers look through. */
export interface FakeViewport {
  /** Scrolls so that the first `rows` list rows, and whatever directly follows them, are in view. */
  scrollTo(rows: number): void;
}

/** List rows (`<li>`) before `target` in the document: its distance from the top, in rows. */
function rowsAbove(target: Element): number {
  return [...document.querySelectorAll("li")].filter(
    (row) => row.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING,
  ).length;
}

/** Stubs the global IntersectionObserver for this test; the window shows `rowsInView` rows. */
export function installFakeViewport({ rowsInView }: { rowsInView: number }): FakeViewport {
  let reach = rowsInView;
  const observers = new Set<FakeIntersectionObserver>();

  class FakeIntersectionObserver implements IntersectionObserver {
    readonly root = null;
    readonly rootMargin = "0px";
    readonly scrollMargin = "0px";
    readonly thresholds = [0];
    /** What each observed element last reported. */
    private readonly reported = new Map<Element, boolean | null>();

    constructor(private readonly callback: IntersectionObserverCallback) {
      observers.add(this);
    }

    observe(target: Element): void {
      this.reported.set(target, null);
      setTimeout(() => this.report(target), 0);
    }

    unobserve(target: Element): void {
      this.reported.delete(target);
    }

    disconnect(): void {
      this.reported.clear();
      observers.delete(this);
    }

    takeRecords(): IntersectionObserverEntry[] {
      return [];
    }

    /** Calls back when `target` is observed and its state differs from the last report. */
    report(target: Element): void {
      if (!this.reported.has(target)) {
        return;
      }
      const isIntersecting = rowsAbove(target) <= reach;
      if (this.reported.get(target) === isIntersecting) {
        return;
      }
      this.reported.set(target, isIntersecting);
      // Only `isIntersecting` and `target` are read by the code under test.
      const entry = { isIntersecting, target } as IntersectionObserverEntry;
      this.callback([entry], this);
    }

    /** Reports every observed element whose state changed. */
    reportAll(): void {
      for (const target of this.reported.keys()) {
        this.report(target);
      }
    }
  }

  vi.stubGlobal("IntersectionObserver", FakeIntersectionObserver);
  return {
    scrollTo(rows) {
      reach = rows;
      for (const observer of observers) {
        observer.reportAll();
      }
    },
  };
}
