import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, randomFile, startFixture } from "./test-support/fixture.js";

const AWKWARD_NAMES = [
  "with space.mp4",
  "tom & jerry.mp4",
  "#1 hit.mp4",
  "what?.mp4",
  "100% done.mp4",
  "café clip.mp4",
  "日本語の動画.mp4",
  "emoji 🎬.mp4",
  "plus+equals=.mp4",
  "quote's (1).mp4",
];

describe("videoUrl", () => {
  let fixture: Fixture;
  const files = Object.fromEntries(AWKWARD_NAMES.map((name) => [name, randomFile(257)]));
  beforeAll(async () => {
    fixture = await startFixture(files);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it("is absolute under the base URL", () => {
    const url = new URL(fixture.client.videoUrl("a.mp4"));
    expect(url.href).toBe(`${fixture.server.baseUrl}/api/video/a.mp4`);
  });

  it.each(AWKWARD_NAMES)("round-trips %j through the real server byte-exactly", async (name) => {
    const url = fixture.client.videoUrl(name);
    // One path segment, nothing the URL parser would cut off as query or fragment.
    const parsed = new URL(url);
    expect(parsed.search).toBe("");
    expect(parsed.hash).toBe("");
    expect(decodeURIComponent(parsed.pathname)).toBe(`/api/video/${name}`);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(files[name]);
  });

  it("agrees with the url the listing gives for each file", async () => {
    const { items } = await fixture.client.listVideos({ limit: 100 });
    expect(items).toHaveLength(AWKWARD_NAMES.length);
    for (const item of items) {
      expect(new URL(item.url, fixture.server.baseUrl).href).toBe(
        new URL(fixture.client.videoUrl(item.filename)).href,
      );
    }
  });
});
