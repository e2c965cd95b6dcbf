/**
 * A resumed download must never mix two versions of a file (SPEC "ETag", "If-Range"). Each case
 * replaces a file the way real tools do and resumes with what the client held before, over a real
 * socket: the answer is the whole new file, never old bytes followed by new ones.
 */

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResponse, rawRequest } from "../test-support/raw-request.js";
import { startTestServer, type TestServer } from "../test-support/server.js";
import { openEventStream } from "../test-support/sse-client.js";

const SIZE = 256 * 1024; // bytes: above the 64 KiB small-body limit, so the rest is streamed
const RESUME_AT = 100_000; // bytes the client already holds
const OLD_MTIME = new Date("2026-03-04T05:06:07Z");

let server: TestServer;

function get(name: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server.port, `/api/video/${encodeURIComponent(name)}`, { headers });
}

/** The `etag` of an event's `VideoInfo` JSON, if it has one. */
function etagOf(data: string | undefined): unknown {
  const info: unknown = JSON.parse(data ?? "null");
  return typeof info === "object" && info !== null && "etag" in info ? info.etag : undefined;
}

beforeAll(async () => {
  server = await startTestServer({ stableMs: 50 });
});

afterAll(async () => {
  await server.close();
});

/** Ways tools put different bytes of the same size under a name and set the old mtime back. */
const replacements: Array<[string, (path: string, bytes: Buffer) => void]> = [
  [
    "cp -p over the file (same inode, rewritten in place)",
    (path, bytes) => {
      const source = `${path}.incoming`; // not a served name: never listed
      writeFileSync(source, bytes);
      utimesSync(source, OLD_MTIME, OLD_MTIME);
      execFileSync("cp", ["-p", source, path]);
    },
  ],
  [
    "a rename over the file, mtime set back with touch -r (new inode)",
    (path, bytes) => {
      const temporary = `${path}.tmp`;
      writeFileSync(temporary, bytes);
      execFileSync("touch", ["-r", path, temporary]);
      renameSync(temporary, path);
    },
  ],
  [
    "an in-place write, mtime set back with utimes (as tar x and rsync -t do)",
    (path, bytes) => {
      writeFileSync(path, bytes);
      utimesSync(path, OLD_MTIME, OLD_MTIME);
    },
  ],
];

describe.each(replacements)("a same-size replacement by %s", (_how, replace) => {
  it("changes the ETag, so If-Range with the old one gets the whole new file", async () => {
    const name = `a_final-${replacements.findIndex(([how]) => how === _how)}.mp4`;
    const path = join(server.videoDir, name);
    const before = randomBytes(SIZE);
    const after = randomBytes(SIZE);
    writeFileSync(path, before);
    utimesSync(path, OLD_MTIME, OLD_MTIME);
    const first = await get(name);
    expect(first.body).toEqual(before);
    const oldEtag = first.headers.etag ?? "";

    replace(path, after);
    expect(statSync(path).size).toBe(SIZE);
    expect(statSync(path).mtime).toEqual(OLD_MTIME); // the tool really kept size and mtime

    const resumed = await get(name, { Range: `bytes=${RESUME_AT}-`, "If-Range": oldEtag });
    expect(resumed.status).toBe(200);
    expect(resumed.headers["content-range"]).toBeUndefined();
    expect(resumed.body).toEqual(after);
    expect(resumed.headers.etag).not.toBe(oldEtag);
    expect(resumed.headers["last-modified"]).toBe(first.headers["last-modified"]);

    // The new tag resumes the new file.
    const newEtag = resumed.headers.etag ?? "";
    const rest = await get(name, { Range: `bytes=${RESUME_AT}-`, "If-Range": newEtag });
    expect(rest.status).toBe(206);
    expect(rest.body).toEqual(after.subarray(RESUME_AT));
  });
});

describe("the library after a same-size replacement that keeps the mtime", () => {
  it("announces the change and lists the stream route's new ETag", async () => {
    const name = "listed.mp4";
    const path = join(server.videoDir, name);
    writeFileSync(path, randomBytes(SIZE));
    utimesSync(path, OLD_MTIME, OLD_MTIME);
    const events = await openEventStream(`${server.baseUrl}/api/videos/events`);
    try {
      await events.waitFor(
        (frame) => frame.event === "added" && frame.data?.includes(name) === true,
      );
      const replacement = randomBytes(SIZE);
      const source = `${path}.incoming`;
      writeFileSync(source, replacement);
      utimesSync(source, OLD_MTIME, OLD_MTIME);
      execFileSync("cp", ["-p", source, path]);
      const streamed = await get(name);
      expect(streamed.body).toEqual(replacement);
      const etag = streamed.headers.etag ?? "";
      await events.waitFor((frame) => frame.event === "changed" && etagOf(frame.data) === etag);
      const described = await rawRequest(server.port, `/api/videos/${name}`);
      expect(JSON.parse(described.body.toString()).etag).toBe(etag);
    } finally {
      events.close();
    }
  });
});

describe("If-Range with a Last-Modified date that is not a strong validator (§8.8.2.2)", () => {
  it("sends the whole new file when the file was rewritten within the same second", async () => {
    // The scenario needs the write, the GET, the rewrite and the resumed GET to fall in one
    // wall-clock second; an attempt that straddles a second boundary is not this scenario and
    // is retried with a new name (each attempt takes a few ms, so one fits almost always).
    for (let attempt = 0; attempt < 50; attempt++) {
      const name = `same-second-${attempt}.mp4`;
      const path = join(server.videoDir, name);
      const before = randomBytes(1000);
      const after = randomBytes(1000);
      const startedAt = Date.now();
      writeFileSync(path, before);
      const first = await get(name);
      writeFileSync(path, after);
      const lastModified = first.headers["last-modified"] ?? "";
      const resumed = await get(name, { Range: "bytes=10-", "If-Range": lastModified });
      const endedAt = Date.now();
      const second = Math.floor(Date.parse(lastModified) / 1000);
      if (Math.floor(startedAt / 1000) !== second || Math.floor(endedAt / 1000) !== second) {
        continue;
      }
      expect(resumed.headers["last-modified"]).toBe(lastModified); // the date still matches...
      expect(resumed.status).toBe(200); // ...but is weak, so the range is not honoured
      expect(resumed.body).toEqual(after);
      return;
    }
    throw new Error("no attempt fitted in one second: the machine is too slow for this case");
  });

  it("sends the whole file for a Last-Modified in the future (its second is not over)", async () => {
    const path = join(server.videoDir, "future.mp4");
    const future = new Date(Date.now() + 3_600_000);
    writeFileSync(path, randomBytes(1000));
    utimesSync(path, future, future);
    const first = await get("future.mp4");
    const after = randomBytes(1000);
    writeFileSync(path, after);
    utimesSync(path, future, future);
    const resumed = await get("future.mp4", {
      Range: "bytes=10-",
      "If-Range": first.headers["last-modified"] ?? "",
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual(after);
  });

  it("honours the range once the date's second is over", async () => {
    const path = join(server.videoDir, "settled.mp4");
    const bytes = randomBytes(1000);
    writeFileSync(path, bytes);
    utimesSync(path, OLD_MTIME, OLD_MTIME);
    const first = await get("settled.mp4");
    const resumed = await get("settled.mp4", {
      Range: "bytes=10-",
      "If-Range": first.headers["last-modified"] ?? "",
    });
    expect(resumed.status).toBe(206);
    expect(resumed.body).toEqual(bytes.subarray(10));
  });
});
