/** What every peer server in the comparison looks like to the benchmark. */
import type { CpuSet } from "../processes.js";

/** A server that answers `GET <urlFor(name)>` with the bytes of `<dir>/<name>`. */
export interface RunningPeer {
  /** Display name, e.g. "nginx", "Reel". */
  name: string;
  port: number;
  /** The request path for a file name (each peer serves `/api/video/<name>`). */
  urlFor: (filename: string) => string;
  /** Every process whose memory and CPU count as the server's (nginx: master and workers). */
  pids: () => number[];
  /** Stops the server and everything it forked; SIGKILL after `graceMs` (default 3 s). */
  stop: (graceMs?: number) => Promise<void>;
}

/** How to start one kind of peer. */
export interface PeerDefinition {
  /** Stable key used on the command line (`--peers reel,nginx`) and in result files. */
  id: string;
  name: string;
  /** One line on what it is, for the report. */
  description: string;
  start: (options: PeerStartOptions) => Promise<RunningPeer>;
}

/** Where and how to serve. */
export interface PeerStartOptions {
  /** Directory holding the benchmark files. */
  dir: string;
  /** Core the server is pinned to (`taskset -c`), or "all" (the all-cores rows). */
  cpu: CpuSet;
  /** A scratch directory the peer may write to (nginx's conf, pid and temp paths). */
  scratch: string;
  /** Extra environment for the server (Reel's CHUNK_SIZE in the sweep). */
  env?: Record<string, string>;
  /** Extra node flags before the script (`--cpu-prof` for the profile). */
  nodeFlags?: string[];
  /** Serve HTTPS with HTTP/2 and HTTP/1.1 by ALPN with these PEM files (the HTTP/2 rows). */
  tls?: { certPath: string; keyPath: string };
}

/** The URL shape shared by every peer, the same as Reel's stream route. */
export const VIDEO_PATH_PREFIX = "/api/video/";

/** `/api/video/<encoded name>`. */
export function videoPath(filename: string): string {
  return `${VIDEO_PATH_PREFIX}${encodeURIComponent(filename)}`;
}
