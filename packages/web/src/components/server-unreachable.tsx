/** Props of the unreachable-server notice. */
export interface ServerUnreachableProps {
  /** The server's base URL (or the URL a proxy reported), shown as tried. */
  url: string;
  detail: string;
  retrying: boolean;
  onRetry(): void;
}

/** Says the API did not answer, which server was tried, and that the player keeps retrying. */
export function ServerUnreachable({ url, detail, retrying, onRetry }: ServerUnreachableProps) {
  return (
    <div className="notice notice-error" role="alert">
      <h2>Can't reach the Reel server</h2>
      <p>
        Tried <code className="break">{url}</code>
      </p>
      <p className="muted">{detail}</p>
      <p>{retrying ? "Retrying every few seconds…" : "Start the server, then try again."}</p>
      <button type="button" onClick={onRetry}>
        Retry now
      </button>
    </div>
  );
}
