import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReelApiError } from "./index.js";
import { type Fixture, startFixture } from "./test-support/fixture.js";

// send's fixture: byte offsets are visible in the text.
const DIGITS = new TextEncoder().encode("123456789");
const bytesOf = (text: string) => new TextEncoder().encode(text);

describe("fetchRange against a real server", () => {
  let fixture: Fixture;
  let etag: string;
  beforeAll(async () => {
    fixture = await startFixture({ "digits.mp4": DIGITS });
    etag = (await fixture.client.getVideo("digits.mp4")).etag;
  });
  afterAll(async () => {
    await fixture.close();
  });

  it("returns a closed range as a 206 with its Content-Range and ETag", async () => {
    expect(await fixture.client.fetchRange("digits.mp4", { start: 2, end: 4 })).toEqual({
      status: 206,
      bytes: bytesOf("345"),
      contentRange: { start: 2, end: 4, size: 9 },
      etag,
    });
  });

  it("returns an open-ended range to the end", async () => {
    const answer = await fixture.client.fetchRange("digits.mp4", { start: 5 });
    expect(answer.bytes).toEqual(bytesOf("6789"));
    expect(answer.contentRange).toEqual({ start: 5, end: 8, size: 9 });
  });

  it("returns the last bytes for a suffix range", async () => {
    const answer = await fixture.client.fetchRange("digits.mp4", { suffix: 3 });
    expect(answer).toMatchObject({ status: 206, contentRange: { start: 6, end: 8, size: 9 } });
    expect(answer.bytes).toEqual(bytesOf("789"));
  });

  it("gets an end past the file clamped by the server", async () => {
    const answer = await fixture.client.fetchRange("digits.mp4", { start: 7, end: 100 });
    expect(answer.bytes).toEqual(bytesOf("89"));
    expect(answer.contentRange).toEqual({ start: 7, end: 8, size: 9 });
  });

  it("gets the whole file as a 206 spanning the file for bytes=0-", async () => {
    expect(await fixture.client.fetchRange("digits.mp4", { start: 0 })).toEqual({
      status: 206,
      bytes: DIGITS,
      contentRange: { start: 0, end: 8, size: 9 },
      etag,
    });
  });

  it("honours If-Range while the ETag matches", async () => {
    const answer = await fixture.client.fetchRange(
      "digits.mp4",
      { start: 1, end: 2 },
      { ifRange: etag },
    );
    expect(answer).toMatchObject({ status: 206, bytes: bytesOf("23") });
  });

  it("gets the whole file when If-Range is stale", async () => {
    const answer = await fixture.client.fetchRange(
      "digits.mp4",
      { start: 1, end: 2 },
      { ifRange: '"stale"' },
    );
    expect(answer).toMatchObject({ status: 200, bytes: DIGITS });
  });

  it("throws ReelApiError 416 with the exact detail for a start past the end", async () => {
    const error = await fixture.client
      .fetchRange("digits.mp4", { start: 9 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReelApiError);
    expect(error).toMatchObject({
      status: 416,
      detail: "Invalid request range (Range:'bytes=9-')",
      method: "GET",
      url: `${fixture.server.baseUrl}/api/video/digits.mp4`,
    });
  });

  it("throws ReelApiError 416 for an empty suffix", async () => {
    await expect(fixture.client.fetchRange("digits.mp4", { suffix: 0 })).rejects.toMatchObject({
      status: 416,
      detail: "Invalid request range (Range:'bytes=-0')",
    });
  });

  it("throws ReelApiError 404 with the exact detail for a missing file", async () => {
    await expect(fixture.client.fetchRange("nope.mp4", { start: 0, end: 1 })).rejects.toMatchObject(
      {
        status: 404,
        detail: "Video not found: nope.mp4",
      },
    );
  });

  it("throws ReelApiError 400 with the exact detail for an invalid name", async () => {
    await expect(fixture.client.fetchRange(".hidden.mp4", { start: 0 })).rejects.toMatchObject({
      status: 400,
      detail: "Invalid filename: .hidden.mp4",
    });
  });

  it("rejects with the platform's AbortError when aborted", async () => {
    const error = await fixture.client
      .fetchRange("digits.mp4", { start: 0 }, { signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(ReelApiError);
  });
});
