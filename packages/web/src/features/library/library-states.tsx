/** Shown when the server lists no videos at all: how to add some. */
export function EmptyLibrary() {
  return (
    <div className="notice">
      <h2>No videos yet</h2>
      <p>
        Copy <code>.mp4</code> files into the server's <code>VIDEO_DIR</code> (the folder it was
        started with, e.g. <code className="break">VIDEO_DIR=/path/to/videos pnpm start</code>).
        They appear here by themselves.
      </p>
    </div>
  );
}

/** Shown when a search matches nothing. */
export function NoMatches({ q }: { q: string }) {
  return (
    <p className="notice muted" role="status">
      No videos match “{q}”.
    </p>
  );
}

/** Shown when listing failed for a reason other than an unreachable server. */
export function ListingFailed({ detail, onRetry }: { detail: string; onRetry(): void }) {
  return (
    <div className="notice notice-error" role="alert">
      <h2>Could not list the videos</h2>
      <p>{detail}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
