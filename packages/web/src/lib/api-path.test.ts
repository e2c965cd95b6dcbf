import { describe, expect, it } from "vitest";
import { isSameOrigin, resolveApiPath } from "./api-path";

describe("resolveApiPath", () => {
  it.each([
    [
      "http://reel.test",
      "/api/videos/a.mp4/poster.jpg",
      "http://reel.test/api/videos/a.mp4/poster.jpg",
    ],
    ["http://reel.test/", "/api/x", "http://reel.test/api/x"],
    ["https://host/reel", "/api/x", "https://host/reel/api/x"],
    ["http://reel.test", "api/x", "http://reel.test/api/x"],
  ])("joins %s and %s into %s", (base, path, expected) => {
    expect(resolveApiPath(base, path)).toBe(expected);
  });
});

describe("isSameOrigin", () => {
  it.each([
    ["http://127.0.0.1:5173/api/x", "http://127.0.0.1:5173", true],
    ["/api/x", "http://127.0.0.1:5173", true],
    ["http://127.0.0.1:8000/api/x", "http://127.0.0.1:5173", false],
    ["http://localhost:5173/api/x", "http://127.0.0.1:5173", false],
    ["blob:http://127.0.0.1:5173/0b6c", "http://127.0.0.1:5173", true],
  ])("%s from %s → %s", (url, origin, expected) => {
    expect(isSameOrigin(url, origin)).toBe(expected);
  });
});
