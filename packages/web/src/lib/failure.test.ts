import { describe, expect, it } from "vitest";
import { classifyFailure } from "./failure";
import { ReelApiError } from "./reel";

const tried = "http://localhost:5173/api/videos";

function apiError(status: number, detail: string): ReelApiError {
  return new ReelApiError({ status, detail, method: "GET", url: tried });
}

describe("classifyFailure", () => {
  it("reads a 404 as not found, keeping the server's detail", () => {
    expect(classifyFailure(apiError(404, "Video not found: x.mp4"), tried)).toEqual({
      kind: "not-found",
      detail: "Video not found: x.mp4",
    });
  });

  it("reads a proxy's 502 as an unreachable server", () => {
    expect(classifyFailure(apiError(502, "Reel API unreachable"), tried)).toMatchObject({
      kind: "unreachable",
      url: tried,
    });
  });

  it("reads a network TypeError as an unreachable server at the URL tried", () => {
    expect(classifyFailure(new TypeError("Failed to fetch"), tried)).toEqual({
      kind: "unreachable",
      url: tried,
      detail: "Failed to fetch",
    });
  });

  it("reads an abort as aborted, not as an error", () => {
    const abort = new DOMException("stopped", "AbortError");
    expect(classifyFailure(abort, tried)).toEqual({ kind: "aborted" });
  });

  it("keeps other HTTP errors with their status", () => {
    expect(classifyFailure(apiError(400, "Invalid filename: .x"), tried)).toEqual({
      kind: "error",
      detail: "400: Invalid filename: .x",
    });
  });
});
