/**
 * The HTTP contract every store must meet, as one suite run against each store (as tus keeps
 * its store tests in one shared file): SPEC's stream table, preconditions, confinement of names,
 * the listing and describe routes, live events, replacement without splicing, and aborted
 * downloads giving everything back.  `routes/store-contract.test.ts` runs it on a directory,
 * `routes/store-contract.s3.test.ts` on a real Ceph RADOS Gateway bucket.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { INVALID_NAMES } from "./confinement-cases.js";
import { boundaryOf, parseMultipart } from "./multipart-parser.js";
import { waitUntil } from "./object-store/wait-until.js";
import { detailOf, type RawResponse, rawRequest } from "./raw-request.js";
import { openEventStream } from "./sse-client.js";
import type { StoreFixture } from "./store-fixture.js";

const DIGITS = "123456789";
const BIG = randomBytes(2 * 1024 * 1024); // bytes: streamed in many chunks, never one buffer
const DEADLINE_MS = 15_000; // failure guard for "eventually" (a poll or a settle), never a pace

/** Registers the contract suite; `start` builds a fresh fixture over the store under test. */
export function describeStoreContract(name: string, start: () => Promise<StoreFixture>): void {
  describe(`the HTTP contract on ${name}`, () => {
    let fixture: StoreFixture;
    let etag: string;

    const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
      rawRequest(fixture.server.port, path, { headers, method });

    /** Waits until the describe route answers `expected` for `key` (listed, or gone). */
    const waitDescribed = (key: string, expected: number) =>
      waitUntil(
        async () => {
          const { status } = await get(`/api/videos/${encodeURIComponent(key)}`);
          return status === expected ? status : undefined;
        },
        { deadline: Date.now() + DEADLINE_MS, intervalMs: 25, what: `${key} to be listed` },
      );

    beforeAll(async () => {
      fixture = await start();
      await fixture.put("digits.mp4", DIGITS);
      await fixture.put("big.mp4", BIG);
      await fixture.put("sub/nested.mp4", DIGITS);
      await fixture.put(".hidden.mp4", DIGITS);
      await fixture.put("clip.mp4.part", DIGITS);
      await waitDescribed("big.mp4", 200);
      etag = (await get("/api/video/digits.mp4")).headers.etag ?? "";
    });

    afterAll(async () => {
      await fixture.close();
    });

    describe("GET /api/video/{filename}: SPEC's table", () => {
      it("sends the whole file as 200 with the entity headers", async () => {
        const response = await get("/api/video/digits.mp4");
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(DIGITS);
        expect(response.headers["content-length"]).toBe("9");
        expect(response.headers["accept-ranges"]).toBe("bytes");
        expect(response.headers["content-type"]).toBe("video/mp4");
        expect(etag).toMatch(/^"[^"]+"$/); // strong
        expect(response.headers["last-modified"]).toMatch(/GMT$/);
      });

      it.each([
        ["bytes=0-", DIGITS, "bytes 0-8/9"],
        ["bytes=1-4", "2345", "bytes 1-4/9"],
        ["bytes=3-100", "456789", "bytes 3-8/9"],
        ["bytes=-3", "789", "bytes 6-8/9"],
        ["bytes=-20", DIGITS, "bytes 0-8/9"],
        ["bytes=0-3,2-5", "123456", "bytes 0-5/9"],
        ["bytes=,1-2", "23", "bytes 1-2/9"],
      ])("answers %s with 206 %s", async (range, body, contentRange) => {
        const response = await get("/api/video/digits.mp4", { Range: range });
        expect(response.status).toBe(206);
        expect(response.body.toString()).toBe(body);
        expect(response.headers["content-range"]).toBe(contentRange);
      });

      it.each(["bytes=9-", "bytes=-0", "bytes=5-2", "bytes=abc", "bytes=0-4,8-6"])(
        "answers %s with 416 bytes */9",
        async (range) => {
          const response = await get("/api/video/digits.mp4", { Range: range });
          expect(response.status).toBe(416);
          expect(response.headers["content-range"]).toBe("bytes */9");
          expect(detailOf(response)).toBe(`Invalid request range (Range:'${range}')`);
        },
      );

      it("sends several ranges as multipart/byteranges, one part per range", async () => {
        const response = await get("/api/video/big.mp4", { Range: "bytes=0-9,1000000-1000009" });
        expect(response.status).toBe(206);
        const parts = parseMultipart(response.body, boundaryOf(response.headers["content-type"]));
        expect(parts.map((part) => part.body)).toEqual([
          BIG.subarray(0, 10),
          BIG.subarray(1_000_000, 1_000_010),
        ]);
        expect(parts.map((part) => part.headers["content-range"])).toEqual([
          `bytes 0-9/${BIG.length}`,
          `bytes 1000000-1000009/${BIG.length}`,
        ]);
        expect(Number(response.headers["content-length"])).toBe(response.body.length);
      });

      it("streams a large range byte for byte", async () => {
        const response = await get("/api/video/big.mp4", { Range: "bytes=12345-" });
        expect(response.status).toBe(206);
        expect(response.body.equals(BIG.subarray(12345))).toBe(true);
      });

      it("ignores another unit and answers HEAD without a body", async () => {
        expect((await get("/api/video/digits.mp4", { Range: "items=0-5" })).status).toBe(200);
        const head = await get("/api/video/digits.mp4", { Range: "bytes=1-2" }, "HEAD");
        expect(head.status).toBe(206);
        expect(head.body.length).toBe(0);
        expect(head.headers["content-length"]).toBe("2");
      });

      it("evaluates If-Range, If-None-Match and If-Match against the store's ETag", async () => {
        const fresh = await get("/api/video/digits.mp4", { Range: "bytes=1-2", "If-Range": etag });
        expect(fresh.status).toBe(206);
        const stale = await get("/api/video/digits.mp4", {
          Range: "bytes=1-2",
          "If-Range": '"stale"',
        });
        expect(stale.status).toBe(200);
        expect((await get("/api/video/digits.mp4", { "If-None-Match": etag })).status).toBe(304);
        expect((await get("/api/video/digits.mp4", { "If-Match": '"foo"' })).status).toBe(412);
        expect((await get("/api/video/digits.mp4", { "If-Match": etag })).status).toBe(200);
      });
    });

    describe("names", () => {
      it.each(INVALID_NAMES)(
        "refuses %s with 400 on the stream and describe routes",
        async (path, detail) => {
          for (const route of [path, path.replace("/api/video/", "/api/videos/")]) {
            const response = await get(route);
            expect(response.status).toBe(400);
            expect(detailOf(response)).toBe(detail);
          }
        },
      );

      it("answers 404 for a name with no video, and for a name decoded only once", async () => {
        for (const [path, name] of [
          ["/api/video/missing.mp4", "missing.mp4"],
          ["/api/video/%252e%252e%252fdigits.mp4", "%2e%2e%2fdigits.mp4"],
          ["/api/video/nested.mp4", "nested.mp4"],
        ] as const) {
          const response = await get(path);
          expect(response.status).toBe(404);
          expect(detailOf(response)).toBe(`Video not found: ${name}`);
        }
      });
    });

    describe("the library", () => {
      it("lists only the direct, servable entries, with the stream route's validators", async () => {
        const response = await get("/api/videos?sort=name&order=asc");
        const list = JSON.parse(response.body.toString()) as {
          items: Array<{ filename: string; etag: string; size: number }>;
        }; // the documented VideoList shape
        expect(list.items.map((item) => item.filename)).toEqual(["big.mp4", "digits.mp4"]);
        expect(list.items[1]).toMatchObject({ etag, size: 9 });
        const described = await get("/api/videos/digits.mp4");
        expect(JSON.parse(described.body.toString())).toMatchObject({
          filename: "digits.mp4",
          etag,
        });
      });

      it("searches, sorts and pages with a cursor as on disk", async () => {
        const found = JSON.parse((await get("/api/videos?q=DIG")).body.toString()) as {
          items: Array<{ filename: string }>;
        }; // the documented VideoList shape
        expect(found.items.map((item) => item.filename)).toEqual(["digits.mp4"]);
        const first = JSON.parse(
          (await get("/api/videos?sort=size&order=desc&limit=1")).body.toString(),
        ) as {
          items: Array<{ filename: string }>;
          nextCursor: string | null;
          total: number;
        }; // the documented VideoList shape
        expect(first.items.map((item) => item.filename)).toEqual(["big.mp4"]);
        expect(first.total).toBe(2);
        const next = JSON.parse(
          (
            await get(
              `/api/videos?sort=size&order=desc&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? "")}`,
            )
          ).body.toString(),
        ) as { items: Array<{ filename: string }>; nextCursor: string | null }; // VideoList
        expect(next.items.map((item) => item.filename)).toEqual(["digits.mp4"]);
        expect(next.nextCursor).toBeNull();
      });

      it("reads media facts from the video's header", async () => {
        await fixture.put("sample.mp4", readFileSync(join(SAMPLES_DIR, "sample_final.mp4")));
        await waitDescribed("sample.mp4", 200);
        const described = JSON.parse((await get("/api/videos/sample.mp4")).body.toString()) as {
          media: unknown;
        }; // VideoInfo
        expect(described.media).toMatchObject({ durationSeconds: 10, width: 320, height: 180 });
        await fixture.remove("sample.mp4");
        await waitDescribed("sample.mp4", 404);
      });

      it("announces an added, replaced and removed video on the event stream", async () => {
        const events = await openEventStream(`${fixture.server.baseUrl}/api/videos/events`);
        try {
          await fixture.put("live.mp4", "first");
          await events.waitFor(
            (frame) => frame.event === "added" && frame.data?.includes('"live.mp4"') === true,
            DEADLINE_MS,
          );
          await fixture.put("live.mp4", "other");
          await events.waitFor(
            (frame) => frame.event === "changed" && frame.data?.includes('"live.mp4"') === true,
            DEADLINE_MS,
          );
          await fixture.remove("live.mp4");
          await events.waitFor(
            (frame) => frame.event === "removed" && frame.data?.includes('"live.mp4"') === true,
            DEADLINE_MS,
          );
        } finally {
          events.close();
        }
      });
    });

    describe("versions", () => {
      it("never splices: If-Range with the old ETag after a same-size replacement gets the new file", async () => {
        await fixture.put("swap.mp4", "AAAAAAAAAA");
        const first = await get("/api/video/swap.mp4");
        await fixture.put("swap.mp4", "BBBBBBBBBB");
        const resumed = await get("/api/video/swap.mp4", {
          Range: "bytes=5-",
          "If-Range": first.headers.etag ?? "",
        });
        expect(resumed.status).toBe(200);
        expect(resumed.body.toString()).toBe("BBBBBBBBBB");
      });
    });

    describe("aborted downloads", () => {
      it("give back everything: 300 aborts, then 100 ranged GETs all byte-exact", async () => {
        const aborts = Array.from({ length: 300 }, () => abortAfterFirstChunk());
        await Promise.all(aborts);
        const gets: Array<Promise<RawResponse>> = [];
        for (let index = 0; index < 100; index++) {
          const start = index * 10_007;
          gets.push(get("/api/video/big.mp4", { Range: `bytes=${start}-${start + 70_000}` }));
        }
        const answers = await Promise.all(gets);
        answers.forEach((answer, index) => {
          const start = index * 10_007;
          expect(answer.status).toBe(206);
          expect(answer.body.equals(BIG.subarray(start, start + 70_001))).toBe(true);
        });
        await expect
          .poll(() => fixture.server.store.openCount(), { timeout: DEADLINE_MS, interval: 25 })
          .toBe(0);
      });
    });

    /** Starts a whole-file download of big.mp4 and drops the connection after its first chunk. */
    function abortAfterFirstChunk(): Promise<void> {
      return new Promise((resolve) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: fixture.server.port,
            path: "/api/video/big.mp4",
            agent: false,
          },
          (res) => {
            res.once("data", () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on("error", () => resolve());
        req.end();
      });
    }
  });
}
