import { useCallback, useEffect, useMemo, useState } from "react";
import { useApi } from "../../app/client-context";
import { ServerUnreachable } from "../../components/server-unreachable";
import { resolveApiPath } from "../../lib/api-path";
import { classifyFailure, type Failure } from "../../lib/failure";
import type { PlayerClient, VideoInfo } from "../../lib/reel";
import { useRetryWhile } from "../../lib/use-retry-while";
import { DownloadButton } from "../download/download-button";
import { useThumbnails } from "../previews/use-thumbnails";
import { MediaFacts } from "./media-facts";
import { UnplayableNotice } from "./unplayable-notice";
import { useSeekShim } from "./use-seek-shim";
import { VideoView } from "./video-view";

/** Props of the player panel (mounted once per open video: `key={filename}`). */
export interface PlayerProps {
  client: PlayerClient;
  filename: string;
  startTime: number | null;
  /** Newer facts from a live `changed`/`added` event, if any. */
  liveInfo: VideoInfo | null;
  /** The video was deleted from the library while open. */
  removed: boolean;
  onTimeChange(seconds: number): void;
  onClose(): void;
}

type Loaded = { kind: "loading" } | { kind: "ready"; video: VideoInfo } | Failure;

/** The open video: its facts, the <video> with controls, download, and the not-found states. */
export function Player(props: PlayerProps) {
  const { client, filename, liveInfo, removed, onClose } = props;
  const [loaded, setLoaded] = useState<Loaded>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  // Named in the unreachable notice (a network error carries no URL of its own).
  const { baseUrl } = useApi();
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const videoUrl = client.videoUrl(filename);
  // Firefox only: the element gets its source once the seek shim serves the page (seek-shim.ts).
  const sourceReady = useSeekShim(videoUrl);

  useEffect(() => {
    const controller = new AbortController();
    client.getVideo(filename, { signal: controller.signal }).then(
      (video) => setLoaded({ kind: "ready", video }),
      (error: unknown) => {
        const failure = classifyFailure(error, baseUrl);
        if (failure.kind !== "aborted") {
          setLoaded(failure);
        }
      },
    );
    void attempt;
    return () => controller.abort();
  }, [client, filename, baseUrl, attempt]);

  useRetryWhile(loaded.kind === "unreachable", retry);

  // Known once loaded; a live `changed` event may bring the extras rendered since.
  const info = liveInfo ?? (loaded.kind === "ready" ? loaded.video : null);
  const thumbnails = useThumbnails(info?.previews ? resolveApiPath(baseUrl, info.previews) : null);
  const infoSubtitles = info?.subtitles;
  const subtitles = useMemo(
    () =>
      (infoSubtitles ?? []).map((track) => ({ ...track, url: resolveApiPath(baseUrl, track.url) })),
    [infoSubtitles, baseUrl],
  );

  const backButton = (
    <button type="button" onClick={onClose}>
      ← Back to library
    </button>
  );

  if (loaded.kind === "loading") {
    return (
      <section className="player" aria-label="Player">
        <p className="muted" role="status">
          Loading {filename}…
        </p>
      </section>
    );
  }
  if (loaded.kind === "not-found" || (removed && loaded.kind !== "ready")) {
    return (
      <section className="player" aria-label="Player">
        <div className="notice" role="alert">
          <h2>Video not found</h2>
          <p>
            <code className="break">{filename}</code> is not in the library (it may have been
            renamed or deleted).
          </p>
          {backButton}
        </div>
      </section>
    );
  }
  if (loaded.kind === "unreachable") {
    return (
      <section className="player" aria-label="Player">
        <ServerUnreachable url={loaded.url} detail={loaded.detail} retrying onRetry={retry} />
      </section>
    );
  }
  if (loaded.kind !== "ready") {
    return (
      <section className="player" aria-label="Player">
        <div className="notice notice-error" role="alert">
          <h2>Could not open {filename}</h2>
          <p>{loaded.kind === "error" ? loaded.detail : "Aborted"}</p>
          {backButton}
        </div>
      </section>
    );
  }

  const video = info ?? loaded.video;
  return (
    <section className="player" aria-label="Player">
      <div className="player-heading">
        <h2 className="player-title break">{video.filename}</h2>
        <button type="button" className="close-button" onClick={onClose} aria-label="Close player">
          ✕
        </button>
      </div>
      {removed ? (
        <p className="notice notice-warning" role="alert">
          This video was removed from the library. What is already loaded may still play.
        </p>
      ) : null}
      {sourceReady ? (
        <UnplayableNotice video={video}>
          <VideoView
            src={videoUrl}
            title={video.filename}
            startTime={props.startTime}
            onTimeChange={props.onTimeChange}
            thumbnails={thumbnails}
            subtitles={subtitles}
          />
        </UnplayableNotice>
      ) : (
        <p className="muted" role="status">
          Loading {filename}…
        </p>
      )}
      <DownloadButton client={client} video={video} />
      <MediaFacts video={video} />
    </section>
  );
}
