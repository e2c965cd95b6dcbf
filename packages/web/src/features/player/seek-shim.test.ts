import { describe, expect, it } from "vitest";
import { needsSeekShim, type ShimContext } from "./seek-shim";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0";
const CHROMIUM =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const VIDEO = "http://localhost:5173/api/video/big_final.mp4";

function context(overrides: Partial<ShimContext> = {}): ShimContext {
  return {
    userAgent: FIREFOX,
    hasServiceWorker: true,
    origin: "http://localhost:5173",
    ...overrides,
  };
}

describe("needsSeekShim", () => {
  it("is needed in Firefox for a video from the page's origin", () => {
    expect(needsSeekShim(VIDEO, context())).toBe(true);
  });

  it("is not needed in Chromium", () => {
    expect(needsSeekShim(VIDEO, context({ userAgent: CHROMIUM }))).toBe(false);
  });

  describe("when Firefox cannot use it", () => {
    it("is skipped without service workers", () => {
      expect(needsSeekShim(VIDEO, context({ hasServiceWorker: false }))).toBe(false);
    });

    it("is skipped for a video on another origin (its headers are opaque to a worker)", () => {
      const api = "https://reel.example:8443/api/video/big_final.mp4";
      expect(needsSeekShim(api, context())).toBe(false);
    });
  });
});
