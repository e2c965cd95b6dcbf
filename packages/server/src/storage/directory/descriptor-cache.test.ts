/**
 * The descriptor cache on its own: reuse only for the same inode, fresh stats every time,
 * retirement on replacement, LRU eviction and idle close that never close a descriptor in use.
 */
import {
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/server.js";
import { createVideoFiles, type VideoFiles } from "./descriptor-cache.js";
import { createSmallReads } from "./small-reads.js";
import { strongEtagOf } from "./validators.js";

const readAt = createSmallReads().read;

let parent: string;
let root: string;
let files: VideoFiles;

function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !predicate()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return predicate();
}

/** Acquires `name`, reads it whole through the handle, releases it. */
async function readWhole(name: string): Promise<{ text: string; etag: string } | undefined> {
  const handle = await files.acquire(name);
  if (handle === undefined) {
    return undefined;
  }
  try {
    const bytes = await readAt(handle.fd, 0, handle.size);
    return { text: bytes.toString(), etag: handle.etag };
  } finally {
    handle.release();
  }
}

beforeEach(() => {
  parent = makeTempDir("reel-cache-");
  root = join(parent, "videos");
  mkdirSync(root);
  writeFileSync(join(parent, "outside.mp4"), "outside");
  files = createVideoFiles(root, { idleMs: 60_000, maxEntries: 4 });
});

afterEach(() => {
  files.close();
  rmSync(parent, { recursive: true, force: true });
});

describe("createVideoFiles", () => {
  it("reuses one descriptor for the same unchanged file", async () => {
    writeFileSync(join(root, "a.mp4"), "alpha");
    const first = await files.acquire("a.mp4");
    const second = await files.acquire("a.mp4");
    expect(second?.fd).toBe(first?.fd);
    expect(files.openCount()).toBe(1);
    first?.release();
    second?.release();
  });

  it("never hands out the old descriptor once the file is replaced by rename", async () => {
    for (let version = 0; version < 100; version++) {
      const text = `version ${version} ${"x".repeat(version % 7)}`;
      writeFileSync(join(root, "a.tmp"), text);
      renameSync(join(root, "a.tmp"), join(root, "a.mp4"));
      const read = await readWhole("a.mp4");
      expect(read).toEqual({ text, etag: strongEtagOf(statSync(join(root, "a.mp4"))) });
    }
    // Every replaced version was retired and closed: only the current one stays open.
    expect(files.openCount()).toBe(1);
  });

  it("keeps a reader of the replaced version on its old bytes, then closes that descriptor", async () => {
    writeFileSync(join(root, "a.mp4"), "old bytes");
    const old = await files.acquire("a.mp4");
    writeFileSync(join(root, "a.tmp"), "new bytes, longer");
    renameSync(join(root, "a.tmp"), join(root, "a.mp4"));
    expect((await readWhole("a.mp4"))?.text).toBe("new bytes, longer");
    expect(files.openCount()).toBe(2);
    expect((await readAt(old?.fd ?? -1, 0, 64)).toString()).toBe("old bytes");
    old?.release();
    expect(files.openCount()).toBe(1);
  });

  it("gives fresh stats for a file written in place or truncated", async () => {
    const path = join(root, "a.mp4");
    writeFileSync(path, "short");
    expect((await readWhole("a.mp4"))?.text).toBe("short");
    writeFileSync(path, "much longer content"); // same inode, new size and mtime
    expect(await readWhole("a.mp4")).toEqual({
      text: "much longer content",
      etag: strongEtagOf(statSync(path)),
    });
    truncateSync(path, 4);
    const handle = await files.acquire("a.mp4");
    expect(handle?.size).toBe(4);
    expect(handle?.etag).toBe(strongEtagOf(statSync(path)));
    handle?.release();
  });

  it("refuses a cached symlink once it points outside, and a cached file once deleted", async () => {
    writeFileSync(join(root, "target.mp4"), "inside");
    symlinkSync(join(root, "target.mp4"), join(root, "link.mp4"));
    expect((await readWhole("link.mp4"))?.text).toBe("inside");
    unlinkSync(join(root, "link.mp4"));
    symlinkSync(join(parent, "outside.mp4"), join(root, "link.mp4"));
    expect(await files.acquire("link.mp4")).toBeUndefined();

    unlinkSync(join(root, "target.mp4"));
    expect(await files.acquire("target.mp4")).toBeUndefined();
  });

  it("evicts the least recently used entry without closing a descriptor still in use", async () => {
    for (const name of ["a", "b", "c", "d", "e", "f"]) {
      writeFileSync(join(root, `${name}.mp4`), `content of ${name}`);
    }
    const held = await files.acquire("a.mp4");
    for (const name of ["b", "c", "d", "e", "f"]) {
      expect((await readWhole(`${name}.mp4`))?.text).toBe(`content of ${name}`);
    }
    // a was evicted (4 entries at most) but is still referenced: open, readable, then closed.
    expect(files.openCount()).toBe(5);
    expect((await readAt(held?.fd ?? -1, 0, 64)).toString()).toBe("content of a");
    held?.release();
    expect(files.openCount()).toBe(4);
  });

  it("closes idle descriptors, back to the process's baseline", async () => {
    files.close();
    const baseline = openDescriptors();
    files = createVideoFiles(root, { idleMs: 50 });
    writeFileSync(join(root, "a.mp4"), "alpha");
    const held = await files.acquire("a.mp4");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(files.openCount()).toBe(1); // referenced: never idle
    held?.release();
    expect(await waitFor(() => files.openCount() === 0, 1000)).toBe(true);
    expect(await waitFor(() => openDescriptors() <= baseline, 1000)).toBe(true);
  });

  it("closes every descriptor on close(), a referenced one when it is released", async () => {
    writeFileSync(join(root, "a.mp4"), "alpha");
    writeFileSync(join(root, "b.mp4"), "beta");
    await readWhole("a.mp4");
    const held = await files.acquire("b.mp4");
    files.close();
    expect(files.openCount()).toBe(1);
    expect((await readAt(held?.fd ?? -1, 0, 64)).toString()).toBe("beta");
    held?.release();
    expect(files.openCount()).toBe(0);
    // After close nothing is cached any more, but files are still served and released.
    expect((await readWhole("a.mp4"))?.text).toBe("alpha");
    expect(files.openCount()).toBe(0);
  });
});
