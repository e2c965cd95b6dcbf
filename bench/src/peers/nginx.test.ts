import { describe, expect, it } from "vitest";
import { nginxConfig } from "./nginx.js";

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
