/**
 * The real entry point in a child process: configuration errors exit 1 with one line, and
 * SIGTERM/SIGINT stop the server promptly with exit 0, even with a download in flight.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, ftruncateSync, openSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { selfSignedCertificate } from "./test-support/certificate.js";
import { connectHttp2, http2Request, httpsRequest } from "./test-support/h2-client.js";
import { makeTempDir } from "./test-support/server.js";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const videoDir = makeTempDir("reel-main-");
const children: ChildProcess[] = [];
const BIG_SIZE = 2 * 1024 * 1024 * 1024; // sparse: far more than loopback moves before the exit

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startMain(env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: PACKAGE_DIR,
    // Extras off unless a test asks: no renders into the user's ~/.cache/reel from a test.
    env: { PATH: process.env.PATH, LOG_LEVEL: "info", EXTRAS: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 0;
}

async function waitForListening(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes("reel listening")) {
        resolve();
      }
    });
    child.on("exit", () => reject(new Error(`exited before listening: ${seen}`)));
  });
}

afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
    }
  }
  rmSync(videoDir, { recursive: true, force: true });
});

describe("main", () => {
  it("exits 1 with one line naming PORT when PORT is bad", async () => {
    const { code, stderr } = await startMain({ PORT: "eighty", VIDEO_DIR: videoDir }).exited;
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      'reel: Invalid PORT: PORT must be a whole number (got "eighty")',
    ]);
  });

  it("exits 1 with a clear line when VIDEO_DIR does not exist", async () => {
    const missing = join(videoDir, "does-not-exist");
    const { code, stderr } = await startMain({ VIDEO_DIR: missing }).exited;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`reel: Invalid VIDEO_DIR: ${missing} does not exist`);
  });

  it("serves HTTPS with HTTP/2 and HTTP/1.1 on one port when TLS_CERT and TLS_KEY are set", async () => {
    const { cert, key } = selfSignedCertificate();
    writeFileSync(join(videoDir, "cert.pem"), cert);
    writeFileSync(join(videoDir, "key.pem"), key);
    const port = await freePort();
    const { child } = startMain({
      PORT: String(port),
      VIDEO_DIR: videoDir,
      TLS_CERT: join(videoDir, "cert.pem"),
      TLS_KEY: join(videoDir, "key.pem"),
    });
    await waitForListening(child);
    const baseUrl = `https://127.0.0.1:${port}`;
    const session = await connectHttp2(baseUrl, cert.toString());
    try {
      expect(session.alpnProtocol).toBe("h2");
      expect((await http2Request(session, "/api/health")).status).toBe(200);
      expect((await httpsRequest(baseUrl, cert.toString(), "/api/health")).status).toBe(200);
    } finally {
      session.close();
      child.kill("SIGTERM");
    }
  });

  it("exits 1 with one line naming TLS_KEY when only TLS_CERT is set", async () => {
    const { code, stderr } = await startMain({ VIDEO_DIR: videoDir, TLS_CERT: "cert.pem" }).exited;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("reel: Invalid TLS_KEY: TLS_KEY must be set together with TLS_CERT");
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops promptly with exit 0 on %s, closing a download in flight",
    async (signal) => {
      const fd = openSync(join(videoDir, "big.mp4"), "w");
      ftruncateSync(fd, BIG_SIZE);
      closeSync(fd);
      const port = await freePort();
      const { child, exited } = startMain({ PORT: String(port), VIDEO_DIR: videoDir });
      await waitForListening(child);

      // A download in flight when the signal arrives; it keeps reading so it sees the close.
      // The clock starts at the signal: the request's way to the first byte is not shutdown time,
      // and on a busy machine it alone can take a good part of the bound below.
      let signalledAt = Number.NaN;
      const received = new Promise<number>((resolve) => {
        let bytes = 0;
        const req = request({ host: "127.0.0.1", port, path: "/api/video/big.mp4" }, (res) => {
          res.once("data", () => {
            signalledAt = Date.now();
            child.kill(signal);
          });
          res.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on("error", () => {}); // "aborted": the server went away mid-body, as expected
        });
        req.on("error", () => {});
        req.on("close", () => resolve(bytes));
        req.end();
      });

      const { code } = await exited;
      expect(code).toBe(0);
      // The fallback timer in main.ts fires at 5 s; a clean shutdown is far quicker.
      expect(Date.now() - signalledAt).toBeLessThan(4000);
      // The connection was closed under the client: it never got the whole file.
      expect(await received).toBeLessThan(BIG_SIZE);
    },
  );
});
