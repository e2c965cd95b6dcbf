import type { VideoInfo } from "../../lib/reel";

/** The listing's sort field, as `GET /api/videos?sort=` takes it. */
export type SortField = "modified" | "name" | "size";
/** The listing's direction. */
export type SortOrder = "asc" | "desc";

/** What the library asks the server for: search text plus order. */
export interface LibraryQuery {
  q: string;
  sort: SortField;
  order: SortOrder;
}

// Same collation as the server's listing (packages/server/src/library/page.ts), so a video that
// arrives through a live event lands where the next listing would put it.
const nameCollator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function compareAscending(sort: SortField, a: VideoInfo, b: VideoInfo): number {
  let byKey = 0;
  if (sort === "modified") {
    byKey = Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt);
  } else if (sort === "size") {
    byKey = a.size - b.size;
  } else {
    byKey = nameCollator.compare(a.filename, b.filename);
  }
  if (byKey !== 0) {
    return byKey;
  }
  return a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0;
}

/** Comparator for `query`'s order (descending reverses the whole order, ties included). */
export function compareVideos(query: Pick<LibraryQuery, "sort" | "order">) {
  return (a: VideoInfo, b: VideoInfo): number => {
    const ascending = compareAscending(query.sort, a, b);
    return query.order === "asc" ? ascending : -ascending;
  };
}

/** Case-insensitive substring match, the server's `q` rule. */
export function matchesSearch(filename: string, q: string): boolean {
  return filename.toLowerCase().includes(q.trim().toLowerCase());
}
