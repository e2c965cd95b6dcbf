import { mkdirSync, readSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/server.js";
import { createSmallReads } from "./small-reads.js";
import { closeFd, createVideoDirectory, type VideoDirectory } from "./video-directory.js";

// Reads through the thread pool, as the store does after a slow read.
const readAt = createSmallReads({ maxLoopBytes: 0 }).read;

let parent: string;
let root: string;
let directory: VideoDirectory;

beforeAll(() => {
  parent = makeTempDir("reel-files-");
  root = join(parent, "videos");
  mkdirSync(root);
  writeFileSync(join(root, "a.mp4"), "first version");
  writeFileSync(join(parent, "outside.mp4"), "outside");
  symlinkSync(join(parent, "outside.mp4"), join(root, "out.mp4"));
  // The directory itself is reached through a symlink: confinement uses its real path.
  symlinkSync(root, join(parent, "link-to-videos"));
  directory = createVideoDirectory(join(parent, "link-to-videos"));
});

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe("createVideoDirectory", () => {
  it("resolves the directory to its real path once", () => {
    expect(directory.root).toBe(root);
  });

  it("opens a regular file with its size and validators", async () => {
    const video = await directory.open("a.mp4");
    expect(video).toMatchObject({ size: 13, path: join(root, "a.mp4") });
    expect(video?.etag).toMatch(/^"d-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
    expect(video?.lastModified).toBe(video?.stats.mtime.toUTCString());
    if (video) {
      closeFd(video.fd);
    }
  });

  it("keeps serving the opened version when the file is replaced by rename (one inode)", async () => {
    const video = await directory.open("a.mp4");
    if (video === undefined) {
      throw new Error("a.mp4 should open");
    }
    writeFileSync(join(root, "a.tmp"), "second, longer version");
    renameSync(join(root, "a.tmp"), join(root, "a.mp4"));
    const bytes = await readAt(video.fd, 0, 64);
    expect(bytes.toString()).toBe("first version");
    expect(video.size).toBe(13);
    closeFd(video.fd);

    const replaced = await directory.open("a.mp4");
    expect(replaced?.size).toBe(22);
    expect(replaced?.etag).not.toBe(video.etag);
    if (replaced) {
      const buffer = Buffer.alloc(6);
      readSync(replaced.fd, buffer, 0, 6, 0);
      expect(buffer.toString()).toBe("second");
      closeFd(replaced.fd);
    }
  });

  it("gives undefined for a missing file and for a symlink that escapes", async () => {
    expect(await directory.open("missing.mp4")).toBeUndefined();
    expect(await directory.open("out.mp4")).toBeUndefined();
  });
});

describe("readAt", () => {
  it("returns fewer bytes at the end of the file, and none past it", async () => {
    writeFileSync(join(root, "short.mp4"), "12345");
    const video = await directory.open("short.mp4");
    if (video === undefined) {
      throw new Error("short.mp4 should open");
    }
    expect((await readAt(video.fd, 3, 10)).toString()).toBe("45");
    expect((await readAt(video.fd, 5, 10)).length).toBe(0);
    closeFd(video.fd);
  });
});
