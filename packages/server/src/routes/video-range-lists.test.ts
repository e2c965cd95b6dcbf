/**
 * Range lists as RFC 9110 writes them (§14.1.1, §5.6.1.2), over a real socket on a 100-byte file
 * whose byte n holds the value n, so every body shows which bytes it carries; on every store
 * under test (`storeKindsUnderTest`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailOf, type RawResponse, rawRequest } from "../test-support/raw-request.js";
import type { StoreFixture } from "../test-support/store-fixture.js";
import { startFixtureFor, storeKindsUnderTest } from "../test-support/store-kinds.js";

const HUNDRED = Buffer.from(Array.from({ length: 100 }, (_, index) => index));

describe.each(storeKindsUnderTest())("on the %s store", (kind) => {
  let fixture: StoreFixture;

  function get(range: string, name = "hundred.mp4"): Promise<RawResponse> {
    return rawRequest(fixture.server.port, `/api/video/${name}`, { headers: { Range: range } });
  }

  beforeAll(async () => {
    fixture = await startFixtureFor(kind);
    await fixture.put("hundred.mp4", HUNDRED);
    await fixture.put("empty.mp4", "");
  });

  afterAll(async () => {
    await fixture.close();
  });

  describe("empty list elements are ignored (§5.6.1.2)", () => {
    it.each(["bytes=0-4,", "bytes=,0-4", "bytes= , 0-4"])(
      "%s → 206 bytes 0-4/100",
      async (range) => {
        const response = await get(range);
        expect(response.status).toBe(206);
        expect(response.headers["content-range"]).toBe("bytes 0-4/100");
        expect(response.headers["content-length"]).toBe("5");
        expect(response.body).toEqual(HUNDRED.subarray(0, 5));
      },
    );
  });

  describe("one invalid spec makes the whole list invalid (§14.1.1)", () => {
    it("bytes=0-9,50-40 → 416 bytes */100, like bytes=50-40 on its own", async () => {
      for (const range of ["bytes=0-9,50-40", "bytes=50-40"]) {
        const response = await get(range);
        expect(response.status).toBe(416);
        expect(response.headers["content-range"]).toBe("bytes */100");
        expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
        expect(detailOf(response)).toBe(`Invalid request range (Range:'${range}')`);
      }
    });
  });

  describe("Range: bytes=0-", () => {
    it("answers 206 bytes 0-99/100 with the whole file", async () => {
      const response = await get("bytes=0-");
      expect(response.status).toBe(206);
      expect(response.headers["content-range"]).toBe("bytes 0-99/100");
      expect(response.headers["content-length"]).toBe("100");
      expect(response.body).toEqual(HUNDRED);
    });

    it("answers HEAD with the same 206 headers and no body", async () => {
      const response = await rawRequest(fixture.server.port, "/api/video/hundred.mp4", {
        method: "HEAD",
        headers: { Range: "bytes=0-" },
      });
      expect(response.status).toBe(206);
      expect(response.headers["content-range"]).toBe("bytes 0-99/100");
      expect(response.headers["content-length"]).toBe("100");
      expect(response.body.length).toBe(0);
    });

    it("answers an empty file with 200 and 0 bytes", async () => {
      const response = await get("bytes=0-", "empty.mp4");
      expect(response.status).toBe(200);
      expect(response.headers["content-length"]).toBe("0");
      expect(response.headers["content-range"]).toBeUndefined();
      expect(response.body.length).toBe(0);
    });
  });
});
