import type { ServerResponse } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

// The dev server proxies the API so the player and the API share one origin, exactly as the
// static bundle does when it is served behind the API's origin (no CORS in either case).
// With TLS_CERT/TLS_KEY set, Reel's port speaks only HTTPS (`npm start` passes them through).
const apiScheme = process.env.TLS_CERT ? "https" : "http";
const apiTarget = `${apiScheme}://127.0.0.1:${process.env.REEL_API_PORT ?? "8000"}`;
// The player's port: 5173 as documented; the browser tests pick a free one, so they can run
// while someone else's `npm start` holds 5173.
const webPort = Number(process.env.REEL_WEB_PORT ?? "5173");

/** Proxy options for one API prefix; an unreachable API answers 502 with Reel's JSON error shape. */
function proxyTo(target: string): ProxyOptions {
  return {
    target,
    // A local certificate is usually self-signed: the proxy talks to our own API on loopback.
    secure: false,
    configure(proxy) {
      // Registered before Vite's own handler, which would send an empty text/plain 502: the
      // player shows this `detail`, so a person sees which upstream URL was tried.
      proxy.on("error", (error, _req, res) => {
        if (!("writeHead" in res)) {
          return;
        }
        const response: ServerResponse = res;
        if (response.headersSent || response.writableEnded) {
          return;
        }
        const code = "code" in error ? String(error.code) : error.name;
        response.writeHead(502, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ detail: `Reel API unreachable at ${target} (${code})` }));
      });
    },
  };
}

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the static bundle works wherever the API's origin serves it.
  base: "./",
  server: {
    // 127.0.0.1 rather than "localhost": Node 20 may resolve "localhost" to ::1 only, and then
    // http://127.0.0.1:5173 would fail; browsers map "localhost" to 127.0.0.1 as well.
    host: "127.0.0.1",
    port: webPort,
    strictPort: true,
    proxy: {
      "/api": proxyTo(apiTarget),
      "/openapi.json": proxyTo(apiTarget),
      "/openapi.yaml": proxyTo(apiTarget),
      "/docs": proxyTo(apiTarget),
    },
  },
  preview: {
    host: "127.0.0.1",
    port: webPort,
    strictPort: true,
    proxy: { "/api": proxyTo(apiTarget) },
  },
});
