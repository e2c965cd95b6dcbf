import { describe, expect, it } from "vitest";
import type { ListVideosQuery, VideoInfo } from "../openapi/schemas.js";
import { CursorError, decodeCursor, type ListEntry, selectPage, sortEntries } from "./page.js";

function entry(filename: string, size: number, mtimeMs: number): ListEntry {
  const info: VideoInfo = {
    filename,
    size,
    modifiedAt: new Date(mtimeMs).toISOString(),
    etag: `"${size}~${mtimeMs}"`,
    contentType: "video/mp4",
    url: `/api/video/${encodeURIComponent(filename)}`,
    media: null,
    poster: null,
    previews: null,
    subtitles: [],
  };
  return { info, mtimeMs, lowerName: filename.toLowerCase() };
}

const query = (overrides: Partial<ListVideosQuery> = {}): ListVideosQuery => ({
  sort: "modified",
  order: "desc",
  limit: 100,
  ...overrides,
});

const LIBRARY = [
  entry("clip10.mp4", 300, 1_000),
  entry("Clip2.mp4", 100, 3_000),
  entry("alpha.mp4", 200, 2_000),
  entry("beta.mov", 200, 2_000), // ties alpha on size and mtime: the filename decides
  entry("Zeta.webm", 50, 4_000),
];

const names = (entries: readonly { filename: string }[]) => entries.map((item) => item.filename);

function list(entries: ListEntry[], overrides: Partial<ListVideosQuery>) {
  const q = query(overrides);
  return selectPage(sortEntries(entries, q.sort), q);
}

/** Follows `nextCursor` to the end, calling `between` before each further page. */
function walk(
  initial: ListEntry[],
  overrides: Partial<ListVideosQuery>,
  between: (entries: ListEntry[], page: number) => ListEntry[] = (entries) => entries,
): string[] {
  let entries = initial;
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = list(entries, { ...overrides, cursor });
    seen.push(...names(result.items));
    if (result.nextCursor === null) {
      return seen;
    }
    cursor = result.nextCursor;
    entries = between(entries, page);
  }
  throw new Error("pagination did not end");
}

describe("selectPage", () => {
  describe("sorting", () => {
    it("sorts by modified time, newest first, by default", () => {
      expect(names(list(LIBRARY, {}).items)).toEqual([
        "Zeta.webm",
        "Clip2.mp4",
        "beta.mov",
        "alpha.mp4",
        "clip10.mp4",
      ]);
    });

    it("sorts by modified time ascending, ties by filename", () => {
      expect(names(list(LIBRARY, { order: "asc" }).items)).toEqual([
        "clip10.mp4",
        "alpha.mp4",
        "beta.mov",
        "Clip2.mp4",
        "Zeta.webm",
      ]);
    });

    it("sorts by name case-insensitively with numbers in numeric order", () => {
      expect(names(list(LIBRARY, { sort: "name", order: "asc" }).items)).toEqual([
        "alpha.mp4",
        "beta.mov",
        "Clip2.mp4",
        "clip10.mp4",
        "Zeta.webm",
      ]);
      expect(names(list(LIBRARY, { sort: "name", order: "desc" }).items)).toEqual([
        "Zeta.webm",
        "clip10.mp4",
        "Clip2.mp4",
        "beta.mov",
        "alpha.mp4",
      ]);
    });

    it("sorts by size both ways", () => {
      expect(names(list(LIBRARY, { sort: "size", order: "asc" }).items)).toEqual([
        "Zeta.webm",
        "Clip2.mp4",
        "alpha.mp4",
        "beta.mov",
        "clip10.mp4",
      ]);
      expect(names(list(LIBRARY, { sort: "size", order: "desc" }).items)).toEqual([
        "clip10.mp4",
        "beta.mov",
        "alpha.mp4",
        "Clip2.mp4",
        "Zeta.webm",
      ]);
    });
  });

  describe("searching", () => {
    it("matches a case-insensitive substring and counts matches in total", () => {
      const result = list(LIBRARY, { q: "CLIP", sort: "name", order: "asc" });
      expect(names(result.items)).toEqual(["Clip2.mp4", "clip10.mp4"]);
      expect(result.total).toBe(2);
    });

    it("answers an empty page when nothing matches", () => {
      expect(list(LIBRARY, { q: "nothing" })).toEqual({ items: [], nextCursor: null, total: 0 });
    });
  });

  describe("pagination", () => {
    const many = Array.from({ length: 57 }, (_, index) =>
      entry(`video-${String(index).padStart(3, "0")}.mp4`, (index * 7) % 10, 1000 + (index % 5)),
    );

    for (const sort of ["modified", "name", "size"] as const) {
      for (const order of ["asc", "desc"] as const) {
        it(`visits every file exactly once, sort=${sort} order=${order}`, () => {
          const seen = walk(many, { sort, order, limit: 10 });
          expect(seen).toHaveLength(many.length);
          expect(new Set(seen).size).toBe(many.length);
          expect(seen).toEqual(names(list(many, { sort, order, limit: 500 }).items));
        });
      }
    }

    it("reports total over all pages and null nextCursor on the last page", () => {
      const first = list(many, { limit: 50 });
      expect(first.total).toBe(57);
      expect(first.items).toHaveLength(50);
      const second = list(many, { limit: 50, cursor: first.nextCursor ?? undefined });
      expect(second.items).toHaveLength(7);
      expect(second.nextCursor).toBeNull();
    });

    it("still visits each remaining file once when files come and go between pages", () => {
      const removed = new Set<string>();
      const seen = walk(many, { sort: "name", order: "asc", limit: 10 }, (entries, page) => {
        // Remove a file already seen and one not yet seen, and add one on either side.
        const gone = [`video-00${page}.mp4`, `video-05${page}.mp4`];
        for (const name of gone) {
          removed.add(name);
        }
        return [
          ...entries.filter((item) => !gone.includes(item.info.filename)),
          entry(`aaa-new-${page}.mp4`, 1, 1),
          entry(`zzz-new-${page}.mp4`, 1, 1),
        ];
      });
      expect(new Set(seen).size).toBe(seen.length);
      const survivors = names(many.map((item) => item.info)).filter(
        (name) => !removed.has(name) || seen.includes(name),
      );
      for (const name of survivors) {
        expect(seen).toContain(name);
      }
      expect(seen.filter((name) => name.startsWith("aaa-new"))).toEqual([]);
      expect(seen.filter((name) => name.startsWith("zzz-new")).length).toBeGreaterThan(0);
    });

    it("continues after a cursor whose own file was deleted", () => {
      const first = list(many, { sort: "size", order: "desc", limit: 5 });
      const last = first.items.at(-1)?.filename;
      const without = many.filter((item) => item.info.filename !== last);
      const second = list(without, {
        sort: "size",
        order: "desc",
        limit: 5,
        cursor: first.nextCursor ?? undefined,
      });
      const all = names(list(many, { sort: "size", order: "desc", limit: 500 }).items);
      expect(names(second.items)).toEqual(all.slice(5, 10));
    });
  });

  describe("cursors", () => {
    it("refuses text that does not decode", () => {
      expect(() => list(LIBRARY, { cursor: "not-a-cursor" })).toThrow(CursorError);
      expect(() => list(LIBRARY, { cursor: "" })).toThrow(CursorError);
      const wrongShape = Buffer.from('{"v":1,"s":"name"}').toString("base64url");
      expect(() => list(LIBRARY, { cursor: wrongShape })).toThrow(CursorError);
    });

    it("refuses a cursor made for another sort or order", () => {
      const { nextCursor } = list(LIBRARY, { sort: "name", order: "asc", limit: 2 });
      expect(nextCursor).not.toBeNull();
      expect(() => decodeCursor(nextCursor ?? "", { sort: "size", order: "asc" })).toThrowError(
        "it was made for sort=name&order=asc",
      );
    });

    it("refuses a name cursor whose key is not a string", () => {
      const forged = Buffer.from(
        JSON.stringify({ v: 1, s: "name", o: "asc", k: 5, f: "a.mp4" }),
      ).toString("base64url");
      expect(() => decodeCursor(forged, { sort: "name", order: "asc" })).toThrow(CursorError);
    });
  });
});
