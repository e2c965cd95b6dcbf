/**
 * Pure listing logic: search, sort, and keyset pagination with an opaque cursor. The cursor holds
 * the last item's sort key and filename, so the next page starts strictly after it: files added or
 * removed between pages never make another file appear twice or be skipped.
 */
import type { ListVideosQuery, VideoInfo, VideoList } from "../openapi/schemas.js";
import { SORT_FIELDS, SORT_ORDERS } from "../openapi/schemas.js";
import { z } from "../openapi/zod.js";

/** One listed file with the fields sorting and search need. */
export interface ListEntry {
  info: VideoInfo;
  mtimeMs: number;
  lowerName: string;
}

type SortField = ListVideosQuery["sort"];
type SortKey = number | string;

// Numeric collation sorts "clip2" before "clip10", as file managers do.
const nameCollator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function sortKeyOf(entry: ListEntry, sort: SortField): SortKey {
  switch (sort) {
    case "modified":
      return entry.mtimeMs;
    case "size":
      return entry.info.size;
    case "name":
      return entry.info.filename;
  }
}

/** Orders (key, filename) pairs ascending; the raw filename breaks ties so the order is total. */
function comparePoints(
  sort: SortField,
  a: { key: SortKey; filename: string },
  b: { key: SortKey; filename: string },
): number {
  let byKey = 0;
  if (typeof a.key === "number" && typeof b.key === "number") {
    byKey = a.key - b.key;
  } else if (sort === "name") {
    byKey = nameCollator.compare(String(a.key), String(b.key));
  }
  if (byKey !== 0) {
    return byKey;
  }
  return a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0;
}

/** A copy of `entries` sorted ascending by `sort`, ready for `selectPage`. */
export function sortEntries(entries: Iterable<ListEntry>, sort: SortField): ListEntry[] {
  const points = [...entries].map((entry) => ({
    entry,
    key: sortKeyOf(entry, sort),
    filename: entry.info.filename,
  }));
  points.sort((a, b) => comparePoints(sort, a, b));
  return points.map((point) => point.entry);
}

const CursorSchema = z.object({
  v: z.literal(1),
  s: z.enum(SORT_FIELDS),
  o: z.enum(SORT_ORDERS),
  k: z.union([z.number(), z.string()]),
  f: z.string(),
});
type Cursor = z.infer<typeof CursorSchema>;

/** Encodes the position after `entry` as an opaque base64url string. */
function encodeCursor(entry: ListEntry, query: Pick<ListVideosQuery, "sort" | "order">) {
  const cursor: Cursor = {
    v: 1,
    s: query.sort,
    o: query.order,
    k: sortKeyOf(entry, query.sort),
    f: entry.info.filename,
  };
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** Why a cursor was refused; the route turns it into a 400. */
export class CursorError extends Error {
  override name = "CursorError";
}

/** Decodes a cursor made for the same sort and order, or throws `CursorError`. */
export function decodeCursor(text: string, query: Pick<ListVideosQuery, "sort" | "order">): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new CursorError("not a cursor from this server");
  }
  const result = CursorSchema.safeParse(parsed);
  const cursor = result.success ? result.data : undefined;
  if (cursor === undefined || typeof cursor.k !== (cursor.s === "name" ? "string" : "number")) {
    throw new CursorError("not a cursor from this server");
  }
  if (cursor.s !== query.sort || cursor.o !== query.order) {
    throw new CursorError(`it was made for sort=${cursor.s}&order=${cursor.o}`);
  }
  return cursor;
}

/** First index of ascending `sorted` whose point compares to `point` above `threshold` (binary search). */
function firstIndexAbove(
  sorted: ListEntry[],
  sort: SortField,
  point: { key: SortKey; filename: string },
  threshold: -1 | 0,
): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = sorted[middle];
    const order =
      entry === undefined
        ? 1
        : comparePoints(
            sort,
            { key: sortKeyOf(entry, sort), filename: entry.info.filename },
            point,
          );
    if (order <= threshold) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/** One page of `sorted` (ascending by `query.sort`) after applying search, order and cursor. */
export function selectPage(sorted: ListEntry[], query: ListVideosQuery): VideoList {
  const needle = query.q?.toLowerCase() ?? "";
  const matches = (entry: ListEntry) => needle === "" || entry.lowerName.includes(needle);
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query);
  const ascending = query.order === "asc";
  let index: number;
  if (cursor === undefined) {
    index = ascending ? 0 : sorted.length - 1;
  } else {
    const point = { key: cursor.k, filename: cursor.f };
    // Ascending pages resume at the first entry above the cursor; descending ones at the last
    // entry below it. The cursor's own file may be gone by now: the bounds do not need it.
    index = ascending
      ? firstIndexAbove(sorted, query.sort, point, 0)
      : firstIndexAbove(sorted, query.sort, point, -1) - 1;
  }
  const step = ascending ? 1 : -1;
  const items: VideoInfo[] = [];
  let last: ListEntry | undefined;
  let hasMore = false;
  for (; index >= 0 && index < sorted.length; index += step) {
    const entry = sorted[index];
    if (entry === undefined || !matches(entry)) {
      continue;
    }
    if (items.length === query.limit) {
      hasMore = true;
      break;
    }
    items.push(entry.info);
    last = entry;
  }
  let total = 0;
  for (const entry of sorted) {
    total += matches(entry) ? 1 : 0;
  }
  return {
    items,
    nextCursor: hasMore && last !== undefined ? encodeCursor(last, query) : null,
    total,
  };
}
