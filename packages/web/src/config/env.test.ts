import { describe, expect, it } from "vitest";
import { resolveApiBaseUrl } from "./env";

describe("resolveApiBaseUrl", () => {
  it("uses the page's origin when VITE_API_URL is not set", () => {
    expect(resolveApiBaseUrl({}, "http://localhost:5173")).toBe("http://localhost:5173");
  });

  it("prefers VITE_API_URL without its trailing slash", () => {
    expect(resolveApiBaseUrl({ VITE_API_URL: "http://api.test:8000/" }, "http://x")).toBe(
      "http://api.test:8000",
    );
  });

  it("ignores a blank VITE_API_URL", () => {
    expect(resolveApiBaseUrl({ VITE_API_URL: "  " }, "http://127.0.0.1:5173")).toBe(
      "http://127.0.0.1:5173",
    );
  });
});
