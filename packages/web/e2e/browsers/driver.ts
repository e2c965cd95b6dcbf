// What a browser test needs from a browser, once: the scenarios are written against this and run
// in Debian's Chromium (playwright-core over CDP) and Firefox ESR (puppeteer-core over WebDriver
// BiDi). Each adapter is a thin layer over its library's Page.

/** The browsers the suite drives. */
export type BrowserName = "chromium" | "firefox";

/** One response the page received: enough to prove a seek was answered by a 206. */
export interface ObservedResponse {
  url: string;
  status: number;
  /** The request's `Range` header, "" when none. */
  range: string;
  /** The request's `If-Range` header, "" when none. */
  ifRange: string;
  /** The response's `Content-Range`, "" when none. */
  contentRange: string;
}

/** Deadline of `waitFor` when none is given: a guard against hanging, not a pace. */
export const WAIT_MS = 20_000;

/** A tab. */
export interface DriverPage {
  /** Navigates and resolves at DOMContentLoaded (the app's modules have run). */
  goto(url: string): Promise<void>;
  evaluate<R>(fn: () => R): Promise<Awaited<R>>;
  evaluate<R, A>(fn: (arg: A) => R, arg: A): Promise<Awaited<R>>;
  /**
   * Resolves once `fn(arg)` is truthy in the page. Polls on a timer, not on animation frames,
   * which hidden tabs do not get.
   */
  waitFor<A>(fn: (arg: A) => unknown, arg: A, timeoutMs?: number): Promise<void>;
  /** A real mouse click on the button whose aria-label or text is `name`. */
  clickButton(name: string): Promise<void>;
  /** Moves the real mouse pointer to a point of the viewport (CSS pixels), hovering what is there. */
  hover(x: number, y: number): Promise<void>;
  onResponse(listener: (response: ObservedResponse) => void): void;
  /** Makes this the selected tab of its window; the previously selected one becomes hidden. */
  bringToFront(): Promise<void>;
  setViewport(width: number, height: number): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** Chromium only (DevTools network emulation): bytes per second, or null for no limit. */
  throttle?(bytesPerSecond: number | null): Promise<void>;
  close(): Promise<void>;
}

/** A browser with one profile; its pages are tabs of one window. */
export interface BrowserDriver {
  name: BrowserName;
  /** Where downloads land. */
  downloadDir: string;
  /** Opens a new tab in front. */
  newPage(): Promise<DriverPage>;
  close(): Promise<void>;
}

/** How to launch. */
export interface LaunchOptions {
  /** Accept self-signed certificates (for a TLS variant of the suite). */
  ignoreHTTPSErrors?: boolean;
  /** Extra Firefox preferences (about:config), e.g. a smaller media cache. */
  firefoxPrefs?: Record<string, string | number | boolean>;
  /** Default viewport, CSS pixels. */
  width?: number;
  height?: number;
}

/** Finds the button and returns the centre of its box after scrolling it into view, or null. */
export function locateButton(name: string): { x: number; y: number } | null {
  const buttons = Array.from(document.querySelectorAll("button"));
  const button = buttons.find(
    (candidate) =>
      candidate.getAttribute("aria-label") === name || candidate.textContent?.trim() === name,
  );
  if (!button || button.disabled) {
    return null;
  }
  button.scrollIntoView({ block: "center" });
  const box = button.getBoundingClientRect();
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
}
