import { useEffect, useId, useState } from "react";
import { ServerUnreachable } from "../../components/server-unreachable";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { LoadMore } from "./infinite-scroll";
import { LibraryItem } from "./library-item";
import type { LibraryQuery, SortField, SortOrder } from "./library-order";
import { EmptyLibrary, ListingFailed, NoMatches } from "./library-states";
import type { LibraryController } from "./use-library";

/** How long typing must pause before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

const SORT_OPTIONS: { value: `${SortField}:${SortOrder}`; label: string }[] = [
  { value: "modified:desc", label: "Newest first" },
  { value: "modified:asc", label: "Oldest first" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "name:desc", label: "Name Z–A" },
  { value: "size:desc", label: "Largest first" },
  { value: "size:asc", label: "Smallest first" },
];

function parseSortValue(value: string): Pick<LibraryQuery, "sort" | "order"> {
  const option = SORT_OPTIONS.find((candidate) => candidate.value === value);
  const [sort, order] = (option?.value ?? "modified:desc").split(":");
  return {
    sort: sort === "name" || sort === "size" ? sort : "modified",
    order: order === "asc" ? "asc" : "desc",
  };
}

/** Props of the library panel. */
export interface LibraryProps {
  library: LibraryController;
  query: LibraryQuery;
  onQueryChange(query: LibraryQuery): void;
  selected: string | null;
  onSelect(filename: string): void;
}

/** The library: search, sort, the list with infinite scroll, and its empty/failed states. */
export function Library({ library, query, onQueryChange, selected, onSelect }: LibraryProps) {
  const searchId = useId();
  const sortId = useId();
  const [text, setText] = useState(query.q);
  const q = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    if (q !== query.q) {
      onQueryChange({ ...query, q });
    }
  }, [q, query, onQueryChange]);

  const { state } = library;
  const failure = state.failure;

  return (
    <section className="library" aria-label="Library">
      <div className="library-controls">
        <label htmlFor={searchId} className="visually-hidden">
          Search videos
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search videos"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <label htmlFor={sortId} className="visually-hidden">
          Sort videos
        </label>
        <select
          id={sortId}
          value={`${query.sort}:${query.order}`}
          onChange={(event) => onQueryChange({ ...query, ...parseSortValue(event.target.value) })}
        >
          {SORT_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>

      {state.status === "failed" && failure?.kind === "unreachable" ? (
        <ServerUnreachable
          url={failure.url}
          detail={failure.detail}
          retrying
          onRetry={library.reload}
        />
      ) : null}
      {state.status === "failed" && failure && failure.kind !== "unreachable" ? (
        <ListingFailed
          detail={"detail" in failure ? failure.detail : "Unknown error"}
          onRetry={library.reload}
        />
      ) : null}
      {state.status === "loading" && state.items.length === 0 ? (
        <p className="muted" role="status">
          Loading videos…
        </p>
      ) : null}

      {state.status === "ready" && state.total === 0 && query.q.trim() === "" ? (
        <EmptyLibrary />
      ) : null}
      {state.status === "ready" && state.total === 0 && query.q.trim() !== "" ? (
        <NoMatches q={query.q.trim()} />
      ) : null}

      {state.status !== "failed" && state.items.length > 0 ? (
        <>
          <p className="library-count muted" aria-live="polite">
            {state.items.length < state.total
              ? `Showing ${state.items.length} of ${state.total} videos`
              : `${state.total} ${state.total === 1 ? "video" : "videos"}`}
          </p>
          <ul className="library-list" aria-busy={state.status === "loading"}>
            {state.items.map((video) => (
              <LibraryItem
                key={video.filename}
                video={video}
                selected={video.filename === selected}
                onSelect={onSelect}
              />
            ))}
          </ul>
          {state.nextCursor !== null ? (
            <LoadMore
              busy={state.loadingMore}
              nextCursor={state.nextCursor}
              onLoadMore={library.loadMore}
            />
          ) : null}
          {failure && state.status === "ready" ? (
            <p className="notice-error" role="alert">
              Loading more failed: {"detail" in failure ? failure.detail : "aborted"}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
