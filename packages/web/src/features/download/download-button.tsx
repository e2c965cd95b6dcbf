import { formatBytes } from "../../lib/format";
import type { PlayerClient, VideoInfo } from "../../lib/reel";
import { useDownload } from "./use-download";

function Progress({ loaded, total }: { loaded: number; total: number }) {
  const percent = total > 0 ? Math.floor((loaded / total) * 100) : 0;
  return (
    <>
      <progress max={total} value={loaded} aria-label="Download progress" />
      <span className="muted">
        {formatBytes(loaded)} of {formatBytes(total)} ({percent} %)
      </span>
    </>
  );
}

/** Download with a progress bar, cancel, and resume after a cancel or a dropped connection. */
export function DownloadButton({ client, video }: { client: PlayerClient; video: VideoInfo }) {
  const { state, start, cancel, discard } = useDownload(client, video);

  return (
    <div className="download" aria-live="polite">
      {state.kind === "idle" ? (
        <button type="button" onClick={start} aria-label={`Download ${video.filename}`}>
          Download ({formatBytes(video.size)})
        </button>
      ) : null}
      {state.kind === "downloading" ? (
        <>
          <Progress loaded={state.loaded} total={state.total} />
          <button type="button" onClick={cancel} aria-label="Cancel download">
            Cancel
          </button>
        </>
      ) : null}
      {state.kind === "paused" ? (
        <>
          <Progress loaded={state.loaded} total={state.total} />
          <span role="status">
            {state.reason === "cancelled"
              ? "Download paused."
              : `Download interrupted: ${state.detail}.`}
          </span>
          <button type="button" onClick={start} aria-label="Resume download">
            Resume
          </button>
          <button type="button" onClick={discard} aria-label="Discard partial download">
            Discard
          </button>
        </>
      ) : null}
      {state.kind === "done" ? (
        <>
          <span role="status">Downloaded {formatBytes(state.total)}.</span>
          <button type="button" onClick={start} aria-label={`Download ${video.filename} again`}>
            Download again
          </button>
        </>
      ) : null}
    </div>
  );
}
