import { useId } from "react";
import { formatBytes, formatDate, formatDuration, formatResolution } from "../../lib/format";
import type { VideoInfo } from "../../lib/reel";
import { FaststartBadge } from "./faststart-badge";
import { PlayabilityBadge } from "./playability-badge";

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

/** One video in the library: name, duration, resolution, size, date and the faststart badge. */
export function LibraryItem({ video, selected, onSelect }: LibraryItemProps) {
  const factsId = useId();
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
        <span className="library-item-name">{video.filename}</span>
        <span className="library-item-facts" id={factsId}>
          {describeVideo(video).join(" · ")} ·{" "}
          <time dateTime={video.modifiedAt}>{formatDate(video.modifiedAt)}</time>
        </span>
      </button>
      {video.media && !video.media.faststart ? <FaststartBadge /> : null}
      <PlayabilityBadge video={video} />
    </li>
  );
}
