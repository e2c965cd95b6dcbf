import { describe, expect, it } from "vitest";
import { parseExtrasHealth } from "./extras.js";

describe("parseExtrasHealth", () => {
  it("reads the extras member of /api/health", () => {
    const body = {
      status: "ok",
      videos: 21,
      extras: { enabled: true, reason: null, pending: 21 },
    };
    expect(parseExtrasHealth(body)).toEqual({ enabled: true, reason: null, pending: 21 });
  });

  it("keeps why extras are disabled", () => {
    const body = { extras: { enabled: false, reason: "ffmpeg not found", pending: 0 } };
    expect(parseExtrasHealth(body).reason).toBe("ffmpeg not found");
  });

  it("refuses a body without it (a server from before the extras)", () => {
    expect(() => parseExtrasHealth({ status: "ok" })).toThrow(/unexpected \/api\/health body/);
  });
});
