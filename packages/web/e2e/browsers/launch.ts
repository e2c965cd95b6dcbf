// The browsers the e2e runs in, by name.
import { launchChromium } from "./chromium";
import type { BrowserDriver, BrowserName, LaunchOptions } from "./driver";
import { launchFirefox } from "./firefox";

/** Every browser the suite proves the player in. `E2E_BROWSERS=firefox` narrows it. */
export const BROWSERS: BrowserName[] = (() => {
  const all: BrowserName[] = ["chromium", "firefox"];
  const wanted = process.env.E2E_BROWSERS?.split(",").map((name) => name.trim());
  return wanted ? all.filter((name) => wanted.includes(name)) : all;
})();

/** Launches `name` with a fresh profile. */
export function launchBrowser(name: BrowserName, options?: LaunchOptions): Promise<BrowserDriver> {
  return name === "chromium" ? launchChromium(options) : launchFirefox(options);
}
