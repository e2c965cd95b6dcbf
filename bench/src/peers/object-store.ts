/**
 * The object-store rows: three ways to serve the benchmark file from the RADOS Gateway, each
 * pinned to the server core like the directory peers. The direct reader is the yardstick (what a
 * Node process gets out of the store at all); nginx shows what the gateway gives a proxy written
 * in C that does no S3 work of its own.
 */
import type { Gateway } from "../gateway.js";
import { compilePeerScript } from "./compile.js";
import { nginxProxyConfig, startNginx } from "./nginx.js";
import { startNodeServer } from "./node-process.js";
import { reelPeer } from "./reel.js";
import type { PeerDefinition } from "./types.js";

/** Id of the direct reader, the denominator of the object-store ratios. */
export const S3_DIRECT_ID = "s3-direct";

/** The three peers, bound to a running gateway; Reel first. */
export function objectStorePeers(gateway: Gateway): PeerDefinition[] {
  const s3Env = {
    S3_ENDPOINT: gateway.rgw.endpoint,
    AWS_REGION: gateway.rgw.region,
    AWS_ACCESS_KEY_ID: gateway.rgw.accessKeyId,
    AWS_SECRET_ACCESS_KEY: gateway.rgw.secretAccessKey,
  };
  return [
    {
      id: "reel",
      name: "Reel on S3",
      description: `packages/server/dist/main.js, VIDEO_STORE=s3://${gateway.bucket}/${gateway.prefix}, LOG_LEVEL=silent`,
      start: (options) =>
        reelPeer.start({
          ...options,
          env: {
            ...s3Env,
            VIDEO_STORE: `s3://${gateway.bucket}/${gateway.prefix}`,
            ...options.env,
          },
        }),
    },
    {
      id: S3_DIRECT_ID,
      name: "direct SDK reader",
      description:
        "bare node:http + @aws-sdk/client-s3 3.1175.0: one GetObject with the client's Range, body piped",
      start: (options) =>
        startNodeServer("direct SDK reader", compilePeerScript("s3-direct"), options, {
          ...s3Env,
          S3_BUCKET: gateway.bucket,
          S3_PREFIX: gateway.prefix,
        }),
    },
    {
      id: "nginx-s3",
      name: "nginx → gateway",
      description:
        "nginx (Debian), 1 worker, proxy_pass to the gateway (public-read object), proxy_buffering off, upstream keepalive",
      start: (options) =>
        startNginx("nginx → gateway", options, (port) =>
          nginxProxyConfig(options.scratch, port, {
            port: gateway.port,
            pathPrefix: `/${gateway.bucket}/${gateway.prefix}/`,
          }),
        ),
    },
  ];
}
