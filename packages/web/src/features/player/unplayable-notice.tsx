import { type ReactNode, useMemo, useState } from "react";
import { browserMediaSupport, canPlay } from "../../lib/playability";
import type { VideoInfo } from "../../lib/reel";

/** Props of the notice: the video, and the player to show when it can be played. */
export interface UnplayableNoticeProps {
  video: Pick<VideoInfo, "contentType" | "media">;
  children: ReactNode;
}

/**
 * Shows `children` (the player) unless this browser cannot decode the video's codecs; then says
 * so in words, instead of letting the <video> fail with a generic media error. "Try anyway"
 * mounts the player, for a browser whose answer was too cautious.
 */
export function UnplayableNotice({ video, children }: UnplayableNoticeProps) {
  const playability = useMemo(() => canPlay(video, browserMediaSupport()), [video]);
  const [tryAnyway, setTryAnyway] = useState(false);
  if (playability.kind !== "unsupported" || tryAnyway) {
    return children;
  }
  return (
    <div className="media-error unplayable" role="alert">
      <h3>This browser cannot play this video</h3>
      <p>{playability.message}</p>
      <p className="muted">The download button below still works.</p>
      <button type="button" onClick={() => setTryAnyway(true)}>
        Try to play anyway
      </button>
    </div>
  );
}
