import { formatBytes, formatDate, formatDuration, formatResolution } from "../../lib/format";
import type { VideoInfo } from "../../lib/reel";
import { FaststartBadge } from "../library/faststart-badge";

/** Size, duration, resolution, codecs, date and the faststart verdict of one video. */
export function MediaFacts({ video }: { video: VideoInfo }) {
  const { media } = video;
  const resolution = media ? formatResolution(media.width, media.height) : null;
  return (
    <dl className="facts">
      <dt>Size</dt>
      <dd>
        {formatBytes(video.size)}{" "}
        <span className="muted">({video.size.toLocaleString()} bytes)</span>
      </dd>
      <dt>Modified</dt>
      <dd>
        <time dateTime={video.modifiedAt}>{formatDate(video.modifiedAt)}</time>
      </dd>
      {media ? (
        <>
          <dt>Duration</dt>
          <dd>{formatDuration(media.durationSeconds)}</dd>
          <dt>Resolution</dt>
          <dd>
            {resolution ?? "unknown"}
            {media.rotation !== 0 ? (
              <span className="muted"> (shown turned {media.rotation}° clockwise)</span>
            ) : null}
          </dd>
          <dt>Codecs</dt>
          <dd>
            {[media.videoCodec, media.audioCodec].filter((codec) => codec !== null).join(", ") ||
              "unknown"}
          </dd>
          <dt>Start</dt>
          <dd>{media.faststart ? "fast (moov first)" : <FaststartBadge />}</dd>
        </>
      ) : (
        <>
          <dt>Media</dt>
          <dd>The file's header could not be read; the file may still play.</dd>
        </>
      )}
      <dt>Type</dt>
      <dd>{video.contentType}</dd>
    </dl>
  );
}
