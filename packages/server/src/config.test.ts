import { generateKeyPairSync } from "node:crypto";
import { rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, SAMPLES_DIR } from "./config.js";
import { selfSignedCertificate } from "./test-support/certificate.js";
import { makeTempDir } from "./test-support/server.js";

const dir = makeTempDir("reel-config-");

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The one-line message loadConfig throws for `env`. */
function errorFor(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig({ VIDEO_DIR: dir, ...env });
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = error instanceof Error ? error.message : String(error);
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("loadConfig accepted a bad environment");
}

describe("loadConfig", () => {
  it("uses SPEC's defaults for an empty environment", () => {
    expect(loadConfig({})).toMatchObject({
      port: 8000,
      host: "127.0.0.1",
      videoDir: resolve(SAMPLES_DIR),
      corsOrigins: ["http://localhost:5173", "http://127.0.0.1:5173"],
      chunkSize: 64 * 1024,
      cacheControl: "no-cache",
    });
  });

  it("uses the README's connection limits for an empty environment", () => {
    expect(loadConfig({})).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 10_000,
    });
  });

  it("reads the connection limits", () => {
    expect(
      loadConfig({
        VIDEO_DIR: dir,
        HEADERS_TIMEOUT_MS: "2000",
        REQUEST_TIMEOUT_MS: "2000",
        KEEP_ALIVE_TIMEOUT_MS: "75000",
        MAX_CONNECTIONS: "512",
      }),
    ).toMatchObject({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 75_000,
      maxConnections: 512,
    });
  });

  it("runs one process per CPU it may use unless WORKERS says otherwise", () => {
    expect(loadConfig({ VIDEO_DIR: dir }).workers).toBe(availableParallelism());
    expect(loadConfig({ VIDEO_DIR: dir, WORKERS: "1" }).workers).toBe(1);
    expect(loadConfig({ VIDEO_DIR: dir, WORKERS: "8" }).workers).toBe(8);
  });

  it("treats a blank variable as unset", () => {
    expect(loadConfig({ PORT: "", VIDEO_DIR: dir, CORS_ORIGINS: "" })).toMatchObject({
      port: 8000,
      corsOrigins: ["http://localhost:5173", "http://127.0.0.1:5173"],
    });
  });

  it("reads every variable", () => {
    expect(
      loadConfig({
        PORT: "9000",
        HOST: "0.0.0.0",
        VIDEO_DIR: dir,
        CORS_ORIGINS: " http://a.example , http://b.example:8080 ",
        CHUNK_SIZE: "10000",
        CACHE_CONTROL: "public, max-age=60",
      }),
    ).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      videoDir: dir,
      corsOrigins: ["http://a.example", "http://b.example:8080"],
      chunkSize: 10_000, // the seed's chunk size stays selectable
      cacheControl: "public, max-age=60",
    });
  });

  it("forgives a trailing slash on an origin, which browsers never send", () => {
    expect(
      loadConfig({ VIDEO_DIR: dir, CORS_ORIGINS: "http://a.example:8080/" }).corsOrigins,
    ).toEqual(["http://a.example:8080"]);
  });

  it("accepts * as a CORS origin", () => {
    expect(loadConfig({ VIDEO_DIR: dir, CORS_ORIGINS: "*" }).corsOrigins).toEqual(["*"]);
  });

  it("resolves a relative VIDEO_DIR to an absolute path", () => {
    expect(loadConfig({ VIDEO_DIR: "." }).videoDir).toBe(resolve("."));
  });

  describe("a bad value gives one line naming the variable", () => {
    it.each([
      [{ PORT: "abc" }, /^Invalid PORT: PORT must be a whole number \(got "abc"\)$/],
      [{ PORT: "70000" }, /^Invalid PORT: PORT must be at most 65535/],
      [{ PORT: "-1" }, /^Invalid PORT:/],
      [{ PORT: "80.5" }, /^Invalid PORT:/],
      [{ CHUNK_SIZE: "100" }, /^Invalid CHUNK_SIZE: CHUNK_SIZE must be at least 1024/],
      [{ CHUNK_SIZE: "1e6" }, /^Invalid CHUNK_SIZE:/],
      [{ CORS_ORIGINS: "localhost:5173" }, /^Invalid CORS_ORIGINS: .*not localhost:5173/],
      [{ CORS_ORIGINS: "http://ok.example,ftp://files.example" }, /^Invalid CORS_ORIGINS:/],
      [{ CORS_ORIGINS: "http://ok.example/app" }, /^Invalid CORS_ORIGINS:/],
      [{ LOG_LEVEL: "loud" }, /^Invalid LOG_LEVEL:/],
      [{ HOST: "   " }, /^Invalid HOST: HOST must not be empty/],
      [{ HEADERS_TIMEOUT_MS: "10s" }, /^Invalid HEADERS_TIMEOUT_MS: .*whole number \(got "10s"\)$/],
      [{ HEADERS_TIMEOUT_MS: "0" }, /^Invalid HEADERS_TIMEOUT_MS: .*at least 100/],
      [{ REQUEST_TIMEOUT_MS: "3600001" }, /^Invalid REQUEST_TIMEOUT_MS: .*at most 3600000/],
      [{ KEEP_ALIVE_TIMEOUT_MS: "-5" }, /^Invalid KEEP_ALIVE_TIMEOUT_MS:/],
      [{ MAX_CONNECTIONS: "0" }, /^Invalid MAX_CONNECTIONS: MAX_CONNECTIONS must be at least 1/],
      [{ MAX_CONCURRENT_STREAMS: "0" }, /^Invalid MAX_CONCURRENT_STREAMS: .*at least 1/],
      [{ EXTRAS: "yes" }, /^Invalid EXTRAS: EXTRAS must be on or off/],
      [{ EXTRAS_CONCURRENCY: "0" }, /^Invalid EXTRAS_CONCURRENCY: .*at least 1/],
      [{ WORKERS: "0" }, /^Invalid WORKERS: WORKERS must be at least 1 \(got "0"\)$/],
      [{ WORKERS: "-1" }, /^Invalid WORKERS: WORKERS must be a whole number/],
      [{ WORKERS: "abc" }, /^Invalid WORKERS: WORKERS must be a whole number \(got "abc"\)$/],
      [{ WORKERS: "257" }, /^Invalid WORKERS: WORKERS must be at most 256/],
      [{ EXTRAS_CONCURRENCY: "two" }, /^Invalid EXTRAS_CONCURRENCY: .*whole number/],
      [{ EXTRAS_TIMEOUT_MS: "10" }, /^Invalid EXTRAS_TIMEOUT_MS: .*at least 100/],
      [
        { HEADERS_TIMEOUT_MS: "40000" },
        /^Invalid HEADERS_TIMEOUT_MS: HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS \(30000\) \(got "40000"\)$/,
      ],
    ])("%j", (env, message) => {
      expect(errorFor(env)).toMatch(message);
    });
  });

  describe("TLS_CERT and TLS_KEY", () => {
    const { cert, key } = selfSignedCertificate();
    const certPath = join(dir, "cert.pem");
    const keyPath = join(dir, "key.pem");
    writeFileSync(certPath, cert);
    writeFileSync(keyPath, key);

    it("serve plain HTTP when neither is set", () => {
      expect(loadConfig({ VIDEO_DIR: dir }).tls).toBeUndefined();
    });

    it("read both PEM files when both are set", () => {
      expect(loadConfig({ VIDEO_DIR: dir, TLS_CERT: certPath, TLS_KEY: keyPath }).tls).toEqual({
        cert,
        key,
      });
    });

    it("cap HTTP/2 streams per connection at 128 by default", () => {
      expect(loadConfig({ VIDEO_DIR: dir }).maxConcurrentStreams).toBe(128);
    });

    it.each([
      [{ TLS_CERT: "cert" }, "Invalid TLS_KEY: TLS_KEY must be set together with TLS_CERT"],
      [{ TLS_KEY: "key" }, "Invalid TLS_CERT: TLS_CERT must be set together with TLS_KEY"],
    ])("name the missing one of a pair: %j", (env, message) => {
      expect(errorFor(env)).toBe(message);
    });

    it("name a file that cannot be read", () => {
      const missing = join(dir, "missing.pem");
      expect(errorFor({ TLS_CERT: missing, TLS_KEY: keyPath })).toBe(
        `Invalid TLS_CERT: ${missing} cannot be read (ENOENT)`,
      );
    });

    it("name a certificate that is not PEM", () => {
      expect(errorFor({ TLS_CERT: keyPath, TLS_KEY: keyPath })).toBe(
        `Invalid TLS_CERT: ${keyPath} is not a PEM certificate`,
      );
    });

    it("name a key that is not a private key", () => {
      expect(errorFor({ TLS_CERT: certPath, TLS_KEY: certPath })).toBe(
        `Invalid TLS_KEY: ${certPath} is not an unencrypted PEM private key`,
      );
    });

    it("name a key that belongs to another certificate", () => {
      const otherKey = join(dir, "other-key.pem");
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      writeFileSync(otherKey, privateKey.export({ type: "pkcs8", format: "pem" }));
      expect(errorFor({ TLS_CERT: certPath, TLS_KEY: otherKey })).toBe(
        `Invalid TLS_KEY: ${otherKey} is not the key of the TLS_CERT certificate`,
      );
    });
  });

  describe("media extras", () => {
    it("defaults to on, one render at a time, ffmpeg from PATH and a cache outside VIDEO_DIR", () => {
      const config = loadConfig({ VIDEO_DIR: dir, XDG_CACHE_HOME: "/var/cache/test" });
      expect(config).toMatchObject({
        extras: true,
        ffmpegPath: undefined,
        cacheDir: "/var/cache/test/reel",
        extrasConcurrency: 1,
        extrasTimeoutMs: 300_000,
      });
    });

    it("falls back to ~/.cache/reel", () => {
      expect(loadConfig({ VIDEO_DIR: dir }).cacheDir).toMatch(/\/\.cache\/reel$/);
    });

    it("reads every variable", () => {
      expect(
        loadConfig({
          VIDEO_DIR: dir,
          EXTRAS: "off",
          FFMPEG_PATH: "/opt/ffmpeg/bin/ffmpeg",
          CACHE_DIR: join(dir, "..", "reel-cache-x"),
          EXTRAS_CONCURRENCY: "2",
          EXTRAS_TIMEOUT_MS: "5000",
        }),
      ).toMatchObject({
        extras: false,
        ffmpegPath: "/opt/ffmpeg/bin/ffmpeg",
        cacheDir: resolve(dir, "..", "reel-cache-x"),
        extrasConcurrency: 2,
        extrasTimeoutMs: 5000,
      });
    });

    it.each([
      ["inside VIDEO_DIR", (video: string) => join(video, "cache")],
      ["VIDEO_DIR itself", (video: string) => video],
      ["inside it by a relative path", (video: string) => join(video, "a", "..", "b")],
    ])("refuses a CACHE_DIR %s", (_label, cacheOf) => {
      const cacheDir = cacheOf(dir);
      expect(errorFor({ CACHE_DIR: cacheDir })).toBe(
        `Invalid CACHE_DIR: ${resolve(cacheDir)} is inside VIDEO_DIR ${dir}; choose a directory outside it`,
      );
    });

    it("refuses a CACHE_DIR that reaches into VIDEO_DIR through a symlink", () => {
      const parent = makeTempDir("reel-config-link-");
      const link = join(parent, "videos");
      symlinkSync(dir, link);
      try {
        expect(errorFor({ CACHE_DIR: join(link, "cache") })).toMatch(
          /^Invalid CACHE_DIR: .*inside/,
        );
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    });
  });

  it("names a missing VIDEO_DIR", () => {
    const missing = join(dir, "nope");
    expect(errorFor({ VIDEO_DIR: missing })).toBe(`Invalid VIDEO_DIR: ${missing} does not exist`);
  });

  it("names a VIDEO_DIR that is a file", () => {
    const file = join(dir, "file.mp4");
    writeFileSync(file, "x");
    expect(errorFor({ VIDEO_DIR: file })).toBe(`Invalid VIDEO_DIR: ${file} is not a directory`);
  });
});
