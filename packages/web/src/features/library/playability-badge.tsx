import { useMemo } from "react";
import { browserMediaSupport, canPlay } from "../../lib/playability";
import type { VideoInfo } from "../../lib/reel";

/** Warns, in words, that this browser cannot decode the video's codecs; nothing when it can. */
export function PlayabilityBadge({ video }: { video: Pick<VideoInfo, "contentType" | "media"> }) {
  const playability = useMemo(() => canPlay(video, browserMediaSupport()), [video]);
  if (playability.kind !== "unsupported") {
    return null;
  }
  return <span className="badge badge-warning playability">{playability.message}</span>;
}
