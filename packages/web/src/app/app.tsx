import { useCallback, useState } from "react";
import { Library } from "../features/library/library";
import type { LibraryQuery } from "../features/library/library-order";
import { LiveIndicator } from "../features/library/live-indicator";
import { useLibrary } from "../features/library/use-library";
import { useLiveEvents } from "../features/library/use-live-events";
import { Player } from "../features/player/player";
import type { LibraryEvent, VideoInfo } from "../lib/reel";
import { useApi } from "./client-context";
import { useDeepLink } from "./deep-link";

const DEFAULT_QUERY: LibraryQuery = { q: "", sort: "modified", order: "desc" };

/** What live events said about the open video. */
interface OpenVideoNews {
  filename: string;
  removed: boolean;
  info: VideoInfo | null;
}

/** The whole player page: header with the live indicator, the library, and the open video. */
export function App() {
  const { client, baseUrl } = useApi();
  const [query, setQuery] = useState(DEFAULT_QUERY);
  const library = useLibrary(client, query, baseUrl);
  const { link, open, close, recordTime } = useDeepLink();
  const [news, setNews] = useState<OpenVideoNews | null>(null);

  const { applyEvent } = library;
  const openVideo = link.video;
  const onEvent = useCallback(
    (event: LibraryEvent) => {
      applyEvent(event);
      if (event.event === "reset") {
        return;
      }
      const { filename } = event.data;
      if (filename !== openVideo) {
        return;
      }
      setNews((previous) => {
        const info = previous?.filename === filename ? previous.info : null;
        return event.event === "removed"
          ? { filename, removed: true, info }
          : { filename, removed: false, info: event.data };
      });
    },
    [applyEvent, openVideo],
  );
  const live = useLiveEvents(client, onEvent, baseUrl);

  const openNews = news && news.filename === link.video ? news : null;

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          <a href="/" className="brand">
            Reel
          </a>
        </h1>
        <LiveIndicator status={live.status} role={live.role} />
      </header>
      <main className="app-main">
        <Library
          library={library}
          query={query}
          onQueryChange={setQuery}
          selected={link.video}
          onSelect={open}
        />
        {link.video ? (
          <Player
            key={link.video}
            client={client}
            filename={link.video}
            startTime={link.time}
            liveInfo={openNews?.info ?? null}
            removed={openNews?.removed ?? false}
            onTimeChange={recordTime}
            onClose={close}
          />
        ) : (
          <section className="player player-empty" aria-label="Player">
            <p className="muted">Pick a video from the library to play it.</p>
          </section>
        )}
      </main>
    </div>
  );
}
