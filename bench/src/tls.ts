/** A throwaway self-signed certificate for the HTTPS rows, made by Debian's `openssl`. */
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** PEM files in the scratch directory, and the certificate's text (the CA clients trust). */
export interface Certificate {
  certPath: string;
  keyPath: string;
  ca: string;
}

/** P-256, one day, for 127.0.0.1 and localhost, as the README's local HTTPS recipe. */
export function createCertificate(scratch: string): Certificate {
  const certPath = join(scratch, "cert.pem");
  const keyPath = join(scratch, "key.pem");
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
  chmodSync(keyPath, 0o644); // a throwaway key; nginx's worker may run as another user
  return { certPath, keyPath, ca: readFileSync(certPath, "utf8") };
}
