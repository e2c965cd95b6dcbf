/** Starts a Node server script as a pinned child process and waits until it listens. */
import { childPidsOf } from "../children.js";
import { getFreePort, spawnManaged, stopManaged, waitForPort } from "../processes.js";
import { type PeerStartOptions, type RunningPeer, videoPath } from "./types.js";

/**
 * Runs `node [flags] script` with PORT and VIDEO_DIR set, pinned to `options.cpu`. With `countChildren`, the server's processes are the script and its direct
 * children (`node:cluster` workers), so CPU and peak RSS are summed over all of them.
 */
export async function startNodeServer(
  name: string,
  script: string,
  options: PeerStartOptions,
  extraEnv: Record<string, string> = {},
  countChildren = false,
): Promise<RunningPeer> {
  const port = await getFreePort();
  const managed = spawnManaged(process.execPath, [...(options.nodeFlags ?? []), script], {
    cpu: options.cpu,
    cwd: options.scratch,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      VIDEO_DIR: options.dir,
      ...extraEnv,
      ...options.env,
    },
  });
  try {
    await waitForPort(managed, port);
  } catch (error: unknown) {
    await stopManaged(managed);
    throw error;
  }
  return {
    name,
    port,
    urlFor: videoPath,
    // Only on request: Reel's ffmpeg children are metered apart in the extras rows.
    pids: () => (countChildren ? [managed.pid, ...childPidsOf(managed.pid)] : [managed.pid]),
    stop: (graceMs) => stopManaged(managed, "SIGTERM", graceMs),
  };
}
