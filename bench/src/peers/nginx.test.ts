import { describe, expect, it } from "vitest";
import { nginxConfig, nginxProxyConfig } from "./nginx.js";

describe("nginxConfig", () => {
  it("listens on plain HTTP without a certificate", () => {
    const conf = nginxConfig("/scratch", "/videos", 8080);
    expect(conf).toContain("listen 127.0.0.1:8080;");
    expect(conf).not.toContain("ssl");
  });

  it("listens with TLS and HTTP/2 on the same port when given a certificate", () => {
    const conf = nginxConfig("/scratch", "/videos", 8443, {
      certPath: "/scratch/cert.pem",
      keyPath: "/scratch/key.pem",
    });
    expect(conf).toContain("listen 127.0.0.1:8443 ssl http2;");
    expect(conf).toContain("ssl_certificate /scratch/cert.pem;");
    expect(conf).toContain("ssl_certificate_key /scratch/key.pem;");
  });
});

describe("nginxProxyConfig", () => {
  it("proxies the video path to the gateway over kept-alive connections, streamed", () => {
    const conf = nginxProxyConfig("/scratch", 8080, { port: 7480, pathPrefix: "/bucket/videos/" });
    expect(conf).toContain("server 127.0.0.1:7480;");
    expect(conf).toContain("location /api/video/ {");
    expect(conf).toContain("proxy_pass http://object_store/bucket/videos/;");
    expect(conf).toContain("proxy_http_version 1.1;");
    expect(conf).toContain('proxy_set_header Connection "";');
    expect(conf).toContain("proxy_set_header Host 127.0.0.1:7480;");
    expect(conf).toContain("proxy_buffering off;");
  });
});

describe("nginxConfig workers", () => {
  it("runs one worker unless asked for one per core", () => {
    expect(nginxConfig("/scratch", "/videos", 8080)).toContain("worker_processes 1;");
    expect(nginxConfig("/scratch", "/videos", 8080, undefined, "auto")).toContain(
      "worker_processes auto;",
    );
  });
});
