/**
 * A throwaway self-signed certificate for HTTPS tests, made by the `openssl` command (Debian's
 * openssl package) exactly as the README tells users to make one: P-256, valid one day, for
 * `localhost` and `127.0.0.1`. Self-signed, so the certificate is also the CA clients trust.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { TlsCredentials } from "../config.js";
import { makeTempDir } from "./temp-dir.js";

let made: TlsCredentials | undefined;

/** The certificate and key, PEM; made once per test process (~50 ms). Throws if openssl fails. */
export function selfSignedCertificate(): TlsCredentials {
  if (made !== undefined) {
    return made;
  }
  const dir = makeTempDir("reel-cert-");
  try {
    const certPath = join(dir, "cert.pem");
    const keyPath = join(dir, "key.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        keyPath,
        "-out",
        certPath,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    made = { cert: readFileSync(certPath), key: readFileSync(keyPath) };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
