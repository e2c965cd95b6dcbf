/** The served directory: a temporary folder with one 64 MiB file of random bytes. */
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FILE_NAME, FILE_SIZE } from "./workloads.js";

/** Where the benchmark file lives, and how to remove it. */
export interface Fixture {
  dir: string;
  filename: string;
  path: string;
  size: number;
  /** Scratch space for peers (nginx conf, pid, temp paths), outside the served folder. */
  scratch: string;
  remove: () => void;
}

/**
 * Writes the file in 1 MiB pieces. Random bytes, so no layer can shortcut the work by
 * compressing, and any misplaced byte shows up in the byte-exactness check.
 */
export function createFixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), "reel-bench-"));
  // mkdtemp makes 0700; nginx's worker runs as `nobody` when started by root and must read it.
  chmodSync(root, 0o755);
  const dir = join(root, "videos");
  const scratch = join(root, "scratch");
  mkdirSync(dir, { mode: 0o755 });
  mkdirSync(scratch, { mode: 0o755 });
  const path = join(dir, FILE_NAME);
  const fd = openSync(path, "w", 0o644);
  try {
    const piece = 1024 * 1024;
    for (let written = 0; written < FILE_SIZE; written += piece) {
      writeSync(fd, randomBytes(Math.min(piece, FILE_SIZE - written)));
    }
  } finally {
    closeSync(fd);
  }
  return {
    dir,
    filename: FILE_NAME,
    path,
    size: FILE_SIZE,
    scratch,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
