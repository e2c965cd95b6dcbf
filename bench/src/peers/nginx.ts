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
  type RunningPeer,
  VIDEO_PATH_PREFIX,
  videoPath,
} from "./types.js";

/** Debian's nginx binary. */
export const NGINX_BIN = "/usr/sbin/nginx";

/** nginx's `worker_processes`: a count, or `auto` (one per core). */
export type NginxWorkers = number | "auto";

/**
 * The generated configuration for one run; with `tls`, the port speaks HTTPS with HTTP/2 and
 * HTTP/1.1 by ALPN (`listen … ssl http2`), as Reel does with TLS_CERT/TLS_KEY.
 */
export function nginxConfig(
  scratch: string,
  dir: string,
  port: number,
  tls?: PeerStartOptions["tls"],
  workers: NginxWorkers = 1,
): string {
  const listen =
    tls === undefined
      ? `listen 127.0.0.1:${port};`
      : `listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${tls.certPath};
    ssl_certificate_key ${tls.keyPath};`;
  return renderConf(
    scratch,
    "",
    `${listen}
    location ${VIDEO_PATH_PREFIX} { alias ${dir}/; }`,
    workers,
  );
}

/** Where nginx finds the objects it proxies: an S3 endpoint on loopback and a key prefix. */
export interface ProxiedStore {
  /** Port of the S3 endpoint on 127.0.0.1. */
  port: number;
  /** `/<bucket>/<prefix>/`: path-style URL of the folder holding the videos. */
  pathPrefix: string;
}

/**
 * nginx in front of an S3 gateway: `/api/video/<name>` is proxied to
 * `http://127.0.0.1:<port><pathPrefix><name>` unsigned (the objects are public-read), with the
 * client's `Range` passed on and the answer streamed (`proxy_buffering off`). Upstream
 * connections are kept alive, as the SDK's agent keeps its sockets; without `keepalive` nginx
 * would open a new connection to the gateway per request.
 */
export function nginxProxyConfig(scratch: string, port: number, store: ProxiedStore): string {
  return renderConf(
    scratch,
    `upstream object_store {
    server 127.0.0.1:${store.port};
    keepalive 256;
  }`,
    `listen 127.0.0.1:${port};
    location ${VIDEO_PATH_PREFIX} {
      proxy_pass http://object_store${store.pathPrefix};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # The gateway resolves path-style buckets by the Host it is addressed as.
      proxy_set_header Host 127.0.0.1:${store.port};
      proxy_buffering off;
      # With buffering off, nginx relays through one buffer of this size; 64 KiB, as Node reads.
      proxy_buffer_size 64k;
      # Unused without buffering, but nginx checks them against proxy_buffer_size at start.
      proxy_buffers 4 64k;
    }`,
  );
}

function renderConf(
  scratch: string,
  http: string,
  server: string,
  workers: NginxWorkers = 1,
): string {
  return `worker_processes ${workers};
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
  ${http}
  server {
    ${server}
  }
}
`;
}

/** Starts nginx with the configuration `render(port)` (written to the scratch directory). */
export async function startNginx(
  name: string,
  options: PeerStartOptions,
  render: (port: number) => string,
): Promise<RunningPeer> {
  const port = await getFreePort();
  const conf = join(options.scratch, "nginx.conf");
  writeFileSync(conf, render(port));
  const managed = spawnManaged(
    NGINX_BIN,
    ["-p", options.scratch, "-e", `${options.scratch}/error.log`, "-c", conf, "-g", "daemon off;"],
    { cpu: options.cpu, cwd: options.scratch },
  );
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
    pids: () => [managed.pid, ...childrenOf(managed.pid)],
    stop: (graceMs) => stopManaged(managed, "SIGQUIT", graceMs),
  };
}

/** nginx 1.22 (apt), pinned like every other server. */
export const nginxPeer: PeerDefinition = {
  id: "nginx",
  name: "nginx",
  description: "nginx (Debian), 1 worker, sendfile on, access_log off",
  start: (options) =>
    startNginx("nginx", options, (port) =>
      nginxConfig(options.scratch, options.dir, port, options.tls),
    ),
};

/**
 * nginx with `worker_processes auto` (one worker per core), for the all-cores rows; started
 * unpinned there, so its workers spread over every core.
 */
export const nginxAllCoresPeer: PeerDefinition = {
  id: "nginx",
  name: "nginx (worker_processes auto)",
  description: "nginx (Debian), worker_processes auto, sendfile on, access_log off",
  start: (options) =>
    startNginx("nginx (worker_processes auto)", options, (port) =>
      nginxConfig(options.scratch, options.dir, port, options.tls, "auto"),
    ),
};

/** Direct children of `pid` (nginx's workers), from /proc. */
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
