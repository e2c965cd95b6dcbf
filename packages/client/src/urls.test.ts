import { afterEach, describe, expect, it, vi } from "vitest";
import { posterPath, previewsPath, resolveBaseUrl, subtitlePath, videoPath } from "./urls.js";

describe("resolveBaseUrl", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("keeps an absolute URL and drops a trailing slash", () => {
    expect(resolveBaseUrl("http://127.0.0.1:8000/")).toBe("http://127.0.0.1:8000");
    expect(resolveBaseUrl("https://example.com/reel/")).toBe("https://example.com/reel");
  });

  it("refuses a relative URL outside a browser", () => {
    expect(() => resolveBaseUrl("/reel")).toThrow(TypeError);
  });

  describe("in a browser page", () => {
    it("resolves the origin, an empty string and a relative prefix against the page", () => {
      vi.stubGlobal("location", new URL("http://localhost:5173/player?v=a.mp4"));
      expect(resolveBaseUrl("http://localhost:5173")).toBe("http://localhost:5173");
      expect(resolveBaseUrl("")).toBe("http://localhost:5173");
      expect(resolveBaseUrl("/reel/")).toBe("http://localhost:5173/reel");
    });
  });
});

describe("videoPath", () => {
  it.each([
    ["sample_final.mp4", "/api/video/sample_final.mp4"],
    ["café clip.mp4", "/api/video/caf%C3%A9%20clip.mp4"],
    ["a&b#c?d.mp4", "/api/video/a%26b%23c%3Fd.mp4"],
    ["100%.mp4", "/api/video/100%25.mp4"],
    ["../etc/passwd", "/api/video/..%2Fetc%2Fpasswd"],
  ])("encodes %j as one path segment", (filename, path) => {
    expect(videoPath(filename)).toBe(path);
  });
});

describe("the extras paths", () => {
  it.each([
    ["sample_final.mp4", "/api/videos/sample_final.mp4"],
    ["café clip.mp4", "/api/videos/caf%C3%A9%20clip.mp4"],
    ["a&b#c?d.mp4", "/api/videos/a%26b%23c%3Fd.mp4"],
  ])("encode %j as one path segment", (filename, base) => {
    expect(posterPath(filename)).toBe(`${base}/poster.jpg`);
    expect(previewsPath(filename)).toBe(`${base}/previews.vtt`);
    expect(subtitlePath(filename, "pt-BR")).toBe(`${base}/subtitles/pt-BR.vtt`);
  });
});
