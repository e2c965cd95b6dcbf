/**
 * nginx from Debian: one worker, sendfile on, no access log, everything it writes kept in a
 * scratch directory so it needs no system paths. `-g 'daemon off;'` keeps the master as our child.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getFreePort, spawnManaged, stopManaged, waitForPort } from "../processes.js";
import {
  type PeerDefinition,
  type PeerStartOptions,
  VIDEO_PATH_PREFIX,
  videoPath,
} from "./types.js";

/** Debian's nginx binary. */
export const NGINX_BIN = "/usr/sbin/nginx";

/**
 * The generated configuration for one run; with `tls`, the port speaks HTTPS with HTTP/2 and
 * HTTP/1.1 by ALPN (`listen … ssl http2`), as Reel does with TLS_CERT/TLS_KEY.
 */
export function nginxConfig(
  scratch: string,
  dir: string,
  port: number,
  tls?: PeerStartOptions["tls"],
): string {
  const listen =
    tls === undefined
      ? `listen 127.0.0.1:${port};`
      : `listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${tls.certPath};
    ssl_certificate_key ${tls.keyPath};`;
  return `worker_processes 1;
pid ${scratch}/nginx.pid;
error_log ${scratch}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  # Node's servers never close a keep-alive connection after N requests; nginx's default is 1000.
  keepalive_requests 1000000;
  client_body_temp_path ${scratch}/client_body;
  proxy_temp_path ${scratch}/proxy;
  fastcgi_temp_path ${scratch}/fastcgi;
  uwsgi_temp_path ${scratch}/uwsgi;
  scgi_temp_path ${scratch}/scgi;
  types { video/mp4 mp4 m4v; }
  default_type application/octet-stream;
  server {
    ${listen}
    location ${VIDEO_PATH_PREFIX} { alias ${dir}/; }
  }
}
`;
}

/** nginx 1.22 (apt), pinned like every other server. */
export const nginxPeer: PeerDefinition = {
  id: "nginx",
  name: "nginx",
  description: "nginx (Debian), 1 worker, sendfile on, access_log off",
  start: async (options) => {
    const port = await getFreePort();
    const conf = join(options.scratch, "nginx.conf");
    writeFileSync(conf, nginxConfig(options.scratch, options.dir, port, options.tls));
    const managed = spawnManaged(
      NGINX_BIN,
      [
        "-p",
        options.scratch,
        "-e",
        `${options.scratch}/error.log`,
        "-c",
        conf,
        "-g",
        "daemon off;",
      ],
      { cpu: options.cpu, cwd: options.scratch },
    );
    try {
      await waitForPort(managed, port);
    } catch (error: unknown) {
      await stopManaged(managed);
      throw error;
    }
    return {
      name: "nginx",
      port,
      urlFor: videoPath,
      pids: () => [managed.pid, ...childrenOf(managed.pid)],
      stop: (graceMs) => stopManaged(managed, "SIGQUIT", graceMs),
    };
  },
};

/** Direct children of `pid` (nginx's worker), from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter((text) => text !== "")
      .map(Number);
  } catch {
    // Kernels without CONFIG_PROC_CHILDREN: scan every process's parent.
    return readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
          return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  }
}
