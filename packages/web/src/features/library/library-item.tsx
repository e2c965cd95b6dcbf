import { useId } from "react";
import { useApi } from "../../app/client-context";
import { resolveApiPath } from "../../lib/api-path";
import { formatBytes, formatDate, formatDuration, formatResolution } from "../../lib/format";
import type { VideoInfo } from "../../lib/reel";
import { FaststartBadge } from "./faststart-badge";
import { PlayabilityBadge } from "./playability-badge";
import { Poster } from "./poster";

/** Props of one library row. */
export interface LibraryItemProps {
  video: VideoInfo;
  selected: boolean;
  onSelect(filename: string): void;
}

/** The facts a row shows, joined by "·" (the duration and resolution only when known). */
export function describeVideo(video: VideoInfo): string[] {
  const facts: string[] = [];
  if (video.media) {
    facts.push(formatDuration(video.media.durationSeconds));
    const resolution = formatResolution(video.media.width, video.media.height);
    if (resolution) {
      facts.push(resolution);
    }
  } else {
    facts.push("unreadable header");
  }
  facts.push(formatBytes(video.size));
  return facts;
}

/** One video in the library: poster, name, duration, resolution, size, date and the faststart badge. */
export function LibraryItem({ video, selected, onSelect }: LibraryItemProps) {
  const factsId = useId();
  const { baseUrl } = useApi();
  return (
    <li className={selected ? "library-item selected" : "library-item"}>
      <button
        type="button"
        className="library-item-button"
        aria-current={selected ? "true" : undefined}
        aria-label={`Play ${video.filename}`}
        aria-describedby={factsId}
        onClick={() => onSelect(video.filename)}
      >
        <Poster
          src={video.poster === null ? null : resolveApiPath(baseUrl, video.poster)}
          alt={`Poster of ${video.filename}`}
        />
        <span className="library-item-text">
          <span className="library-item-name">{video.filename}</span>
          <span className="library-item-facts" id={factsId}>
            {describeVideo(video).join(" · ")} ·{" "}
            <time dateTime={video.modifiedAt}>{formatDate(video.modifiedAt)}</time>
          </span>
        </span>
      </button>
      {video.media && !video.media.faststart ? <FaststartBadge /> : null}
      <PlayabilityBadge video={video} />
    </li>
  );
}
