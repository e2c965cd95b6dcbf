import { type LibraryEvent, ReelApiError, type VideoInfo } from "@reel/client";
import { useEffect, useState } from "react";
import { reel } from "./reel";

function formatDuration(video: VideoInfo): string {
  const seconds = video.media?.durationSeconds;
  return seconds === undefined ? "?" : `${Math.round(seconds)} s`;
}

function applyEvent(videos: VideoInfo[], event: LibraryEvent): VideoInfo[] {
  switch (event.event) {
    case "added":
    case "changed":
      return [...videos.filter((v) => v.filename !== event.data.filename), event.data];
    case "removed":
      return videos.filter((v) => v.filename !== event.data.filename);
    case "reset":
      return videos;
  }
}

/** Lists the library, follows it live, and plays the chosen video. */
export function VideoLibrary() {
  const [videos, setVideos] = useState<VideoInfo[]>([]);
  const [selected, setSelected] = useState<VideoInfo | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const controller = new AbortController();
    reel.listVideos({ sort: "name", order: "asc", limit: 100 }, { signal: controller.signal }).then(
      (page) => setVideos(page.items),
      (reason: unknown) => {
        if (reason instanceof ReelApiError) {
          setError(`${reason.status}: ${reason.detail}`);
        } else if (!controller.signal.aborted) {
          setError(String(reason));
        }
      },
    );
    const stop = reel.watchVideos((event) => setVideos((current) => applyEvent(current, event)));
    return () => {
      controller.abort();
      stop();
    };
  }, []);

  return (
    <main>
      {error !== undefined && <p role="alert">{error}</p>}
      <ul>
        {videos.map((video) => (
          <li key={video.filename}>
            <button type="button" onClick={() => setSelected(video)}>
              {video.filename} ({video.size} bytes, {formatDuration(video)})
            </button>
          </li>
        ))}
      </ul>
      {selected !== undefined && (
        // biome-ignore lint/a11y/useMediaCaption: the tracks are the video's sidecar files, if any
        <video
          controls
          src={reel.videoUrl(selected.filename)}
          poster={selected.poster === null ? undefined : reel.baseUrl + selected.poster}
        >
          {selected.subtitles.map((track) => (
            <track
              key={track.url}
              kind="subtitles"
              src={reel.baseUrl + track.url}
              srcLang={track.lang}
              label={track.label}
            />
          ))}
        </video>
      )}
    </main>
  );
}
