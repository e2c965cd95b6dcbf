// A Node ESM script as a user writes one: list the library, fetch a byte range, download a file.
// Usage: REEL_URL=http://127.0.0.1:8000 VIDEO=movie.mp4 SOURCE=/path/to/movie.mp4 OUT_DIR=/tmp/x
//   node dist/check.mjs
// SOURCE is the file the server serves, to compare bytes with; OUT_DIR receives the download.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createReelClient, ReelApiError, type VideoInfo } from "@reel/client";
import { type DownloadToFileResult, downloadToFile } from "@reel/client/node";

function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const reel = createReelClient({ baseUrl: requireEnv("REEL_URL") });
const filename = requireEnv("VIDEO");
const source = await readFile(requireEnv("SOURCE"));
const outDir = requireEnv("OUT_DIR");

// List: the video is there, with its typed facts.
const page = await reel.listVideos({ sort: "name", order: "asc", limit: 50 });
const video: VideoInfo | undefined = page.items.find((item) => item.filename === filename);
assert.ok(
  video,
  `${filename} is not listed: ${page.items.map((item) => item.filename).join(", ")}`,
);
assert.equal(video.size, source.length);
assert.equal(video.contentType, "video/mp4");
const duration: number | undefined = video.media?.durationSeconds;
console.log(`listed ${page.total} video(s); ${filename}: ${video.size} bytes, ${duration} s`);

// Ranged fetch: bytes 100–1123 and the last 500, exactly as in the file.
const middle = await reel.fetchRange(filename, { start: 100, end: 1123 });
assert.equal(middle.status, 206);
assert.deepEqual(middle.contentRange, { start: 100, end: 1123, size: source.length });
assert.deepEqual(Buffer.from(middle.bytes), source.subarray(100, 1124));
const tail = await reel.fetchRange(filename, { suffix: 500 }, { ifRange: middle.etag });
assert.equal(tail.status, 206);
assert.deepEqual(Buffer.from(tail.bytes), source.subarray(source.length - 500));
console.log(`ranged fetches: ${middle.bytes.length} + ${tail.bytes.length} bytes match`);

// Download to disk with progress; the file matches byte for byte.
let progressCalls = 0;
const result: DownloadToFileResult = await downloadToFile(reel, filename, join(outDir, filename), {
  onProgress: ({ loaded, total }) => {
    progressCalls++;
    assert.ok(loaded <= total);
  },
});
assert.equal(result.size, source.length);
assert.ok(progressCalls > 0);
assert.ok((await readFile(result.path)).equals(source), `${result.path} differs from the source`);
console.log(`downloaded ${result.path} (${result.size} bytes, ${result.attempts} attempt(s))`);

// Errors are one typed class carrying the server's detail.
await assert.rejects(reel.getVideo("no-such-video.mp4"), (error: unknown) => {
  assert.ok(error instanceof ReelApiError);
  assert.equal(error.status, 404);
  return true;
});
console.log("consumer check passed");
