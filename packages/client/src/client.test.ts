import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReelClient, ReelApiError } from "./index.js";
import { type Fixture, randomFile, startFixture } from "./test-support/fixture.js";

const files = {
  "alpha.mp4": randomFile(3000),
  "beta.mp4": randomFile(1000),
  "gamma clip.mp4": randomFile(2000),
};

describe("createReelClient against a real server", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture(files);
  });
  afterAll(async () => {
    await fixture.close();
  });

  describe("listVideos", () => {
    it("lists every file with its facts", async () => {
      const list = await fixture.client.listVideos({ sort: "name", order: "asc" });
      expect(list.total).toBe(3);
      expect(list.nextCursor).toBeNull();
      expect(list.items.map((item) => [item.filename, item.size])).toEqual([
        ["alpha.mp4", 3000],
        ["beta.mp4", 1000],
        ["gamma clip.mp4", 2000],
      ]);
      expect(list.items[2]).toMatchObject({
        contentType: "video/mp4",
        url: "/api/video/gamma%20clip.mp4",
        media: null, // random bytes are not an MP4 header
      });
    });

    it("passes q, sort, order and limit to the server", async () => {
      const list = await fixture.client.listVideos({
        q: "A",
        sort: "size",
        order: "desc",
        limit: 1,
      });
      expect(list.total).toBe(3); // every name contains an "a"
      expect(list.items.map((item) => item.filename)).toEqual(["alpha.mp4"]);
      expect(list.nextCursor).toEqual(expect.any(String));
    });

    it("follows nextCursor to the next page", async () => {
      const first = await fixture.client.listVideos({ sort: "name", order: "asc", limit: 2 });
      const second = await fixture.client.listVideos({
        sort: "name",
        order: "asc",
        limit: 2,
        cursor: first.nextCursor ?? "",
      });
      expect(second.items.map((item) => item.filename)).toEqual(["gamma clip.mp4"]);
      expect(second.nextCursor).toBeNull();
    });

    it("throws ReelApiError for a query the server refuses", async () => {
      const error = await fixture.client
        .listVideos({ limit: 0 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReelApiError);
      expect(error).toMatchObject({
        status: 400,
        method: "GET",
        detail: expect.stringContaining("limit"),
      });
    });
  });

  describe("listAllVideos", () => {
    it("yields every video across pages of one", async () => {
      const names: string[] = [];
      for await (const video of fixture.client.listAllVideos({ sort: "name", limit: 1 })) {
        names.push(video.filename);
      }
      expect(names).toEqual(["gamma clip.mp4", "beta.mp4", "alpha.mp4"]);
    });
  });

  describe("getVideo", () => {
    it("returns one VideoInfo", async () => {
      const video = await fixture.client.getVideo("gamma clip.mp4");
      expect(video).toMatchObject({ filename: "gamma clip.mp4", size: 2000 });
      expect(video.etag).toMatch(/^".+"$/);
    });

    it("throws ReelApiError 404 with the server's detail for a missing file", async () => {
      await expect(fixture.client.getVideo("missing.mp4")).rejects.toMatchObject({
        name: "ReelApiError",
        status: 404,
        detail: "Video not found: missing.mp4",
        message: "Video not found: missing.mp4",
        method: "GET",
        url: `${fixture.server.baseUrl}/api/videos/missing.mp4`,
      });
    });

    it("throws ReelApiError 400 with the server's detail for an invalid name", async () => {
      await expect(fixture.client.getVideo("notes.txt")).rejects.toMatchObject({
        status: 400,
        detail: "Invalid filename: notes.txt",
      });
    });
  });

  describe("getHealth", () => {
    it("reports ok and the number of videos", async () => {
      expect(await fixture.client.getHealth()).toEqual({
        status: "ok",
        videos: 3,
        // The test server turns the extras off unless a test opts in.
        extras: { enabled: false, reason: "turned off (EXTRAS=off)", pending: 0 },
      });
    });
  });

  describe("signal", () => {
    it("rejects with the platform's AbortError, untouched", async () => {
      const error = await fixture.client
        .listVideos({}, { signal: AbortSignal.abort() })
        .catch((caught: unknown) => caught);
      expect(error).not.toBeInstanceOf(ReelApiError);
      expect(error).toMatchObject({ name: "AbortError" });
    });
  });
});

describe("createReelClient when the server is unreachable", () => {
  it("rejects with the platform's network error, not a ReelApiError", async () => {
    const fixture = await startFixture();
    const { baseUrl } = fixture.server;
    await fixture.close(); // the port is now closed
    const error = await createReelClient({ baseUrl })
      .getHealth()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ReelApiError);
  });
});

describe("createReelClient with an injected fetch", () => {
  it("sends every request through it", async () => {
    const seen: string[] = [];
    const client = createReelClient({
      baseUrl: "http://reel.test/",
      fetch: async (input) => {
        seen.push(input instanceof Request ? `${input.method} ${input.url}` : String(input));
        return Response.json({ status: "ok", videos: 7 });
      },
    });
    expect(client.baseUrl).toBe("http://reel.test");
    expect(await client.getHealth()).toEqual({ status: "ok", videos: 7 });
    expect(seen).toEqual(["GET http://reel.test/api/health"]);
  });

  it("keeps a proxy's non-JSON error text as the detail", async () => {
    const client = createReelClient({
      baseUrl: "http://reel.test",
      fetch: async () => new Response("Bad Gateway\n", { status: 502 }),
    });
    await expect(client.getVideo("a.mp4")).rejects.toMatchObject({
      status: 502,
      detail: "Bad Gateway",
      url: "http://reel.test/api/videos/a.mp4",
    });
  });
});
