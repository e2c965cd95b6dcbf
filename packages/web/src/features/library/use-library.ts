import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { classifyFailure } from "../../lib/failure";
import type { LibraryEvent, PlayerClient } from "../../lib/reel";
import { useRetryWhile } from "../../lib/use-retry-while";
import type { LibraryQuery } from "./library-order";
import { initialLibraryState, type LibraryState, libraryReducer } from "./library-state";

/** Videos per listing request; small enough to show infinite scroll working on real folders. */
export const PAGE_SIZE = 50;

/** The library's state and the ways to change it. */
export interface LibraryController {
  state: LibraryState;
  /** Loads the next page, if there is one and none is loading. */
  loadMore(): void;
  /** Lists the first page again (after a failure or a `reset` event). */
  reload(): void;
  /** Merges one live event into the loaded list. */
  applyEvent(event: LibraryEvent): void;
}

/**
 * Lists the library page by page for `query`. The first page is fetched again whenever the query
 * changes; while the server is unreachable it is retried every `RETRY_DELAY_MS`. `serverUrl`
 * names the server in the unreachable notice.
 */
export function useLibrary(
  client: PlayerClient,
  query: LibraryQuery,
  serverUrl: string,
): LibraryController {
  const [state, dispatch] = useReducer(libraryReducer, initialLibraryState);
  const [attempt, setAttempt] = useState(0);
  const queryRef = useRef(query);
  const moreController = useRef<AbortController | null>(null);
  const { q, sort, order } = query;

  /** Lists one page (the first when `cursor` is absent) and merges it into the state. */
  const listPage = useCallback(
    (current: LibraryQuery, cursor: string | undefined, signal: AbortSignal) => {
      const append = cursor !== undefined;
      client
        .listVideos(
          {
            q: current.q.trim() || undefined,
            sort: current.sort,
            order: current.order,
            limit: PAGE_SIZE,
            cursor,
          },
          { signal },
        )
        .then(
          (page) => dispatch({ type: "page-loaded", append, page }),
          (error: unknown) => {
            const failure = classifyFailure(error, serverUrl);
            if (failure.kind !== "aborted") {
              dispatch({ type: "load-failed", failure });
            }
          },
        );
    },
    [client, serverUrl],
  );

  useEffect(() => {
    queryRef.current = { q, sort, order };
    moreController.current?.abort();
    const controller = new AbortController();
    dispatch({ type: "load-start" });
    listPage({ q, sort, order }, undefined, controller.signal);
    // `attempt` is a dependency only to list again on demand.
    void attempt;
    return () => controller.abort();
  }, [listPage, q, sort, order, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  useRetryWhile(state.status === "failed" && state.failure?.kind === "unreachable", reload);

  const { nextCursor, loadingMore, status } = state;
  const loadMore = useCallback(() => {
    if (nextCursor === null || loadingMore || status !== "ready") {
      return;
    }
    const controller = new AbortController();
    moreController.current = controller;
    dispatch({ type: "more-start" });
    listPage(queryRef.current, nextCursor, controller.signal);
  }, [listPage, nextCursor, loadingMore, status]);

  const applyEvent = useCallback(
    (event: LibraryEvent) => {
      if (event.event === "reset") {
        reload();
        return;
      }
      dispatch({ type: "live-event", event, query: queryRef.current });
    },
    [reload],
  );

  return { state, loadMore, reload, applyEvent };
}
