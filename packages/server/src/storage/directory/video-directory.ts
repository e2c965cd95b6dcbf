/**
 * Turns a validated filename into an open, confined, regular file. The file is opened once and
 * fstat'ed through that descriptor, so the size, validators and bytes all come from one inode
 * (no stat-then-open race, the TOCTOU `send` has when it stats a path and opens it again).
 */
import { close, constants, fstat, lstatSync, open, realpathSync, type Stats } from "node:fs";
import { realpath } from "node:fs/promises";
import { sep } from "node:path";
import { promisify } from "node:util";
import { lastModifiedOf, strongEtagOf } from "./validators.js";

const openFile = promisify(open);
const fstatFile = promisify(fstat);

// O_NOFOLLOW: a symlink fails with ELOOP and takes the checked path below, so the fast path
// never follows a link. O_NONBLOCK: opening a FIFO named `x.mp4` must not hang the request.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
// Errors that mean "no servable file here", answered 404 rather than 500.
const NOT_FOUND_CODES = new Set(["ENOENT", "ENOTDIR", "EACCES", "EPERM", "ENAMETOOLONG", "ELOOP"]);

/** An open regular file inside the video directory; whoever holds it must close `fd`. */
export interface OpenVideo {
  fd: number;
  /** The real path opened (for error messages; reads go through `fd`). */
  path: string;
  size: number;
  stats: Stats;
  etag: string;
  lastModified: string;
}

/** Where a name points right now, without opening it: a confined regular file and its stats. */
export interface LocatedVideo {
  /** The real path (no symlink in it); the same path `open` reports for the same file. */
  path: string;
  stats: Stats;
}

/** Opens files by name, never outside the directory it was created for. */
export interface VideoDirectory {
  /** The real path of the directory. */
  readonly root: string;
  /** Opens `name` (a single validated segment); `undefined` when no confined regular file has it. */
  open(name: string): Promise<OpenVideo | undefined>;
  /**
   * Stats what `name` names now under the same confinement rules as `open` (the last component
   * is lstat'ed, a symlink is resolved with realpath and must stay inside, no dotfile part);
   * `undefined` when that is not a confined regular file. One syscall for a plain file, made
   * synchronously (see `lstatNow`).
   */
  locate(name: string): Promise<LocatedVideo | undefined>;
}

/** A `VideoDirectory` over `videoDir`, resolved once here (at startup, so sync is fine). */
export function createVideoDirectory(videoDir: string): VideoDirectory {
  const root = realpathSync(videoDir);
  const prefix = root.endsWith(sep) ? root : root + sep;

  /** True when `real` lies inside the root and no part of it below the root is a dotfile. */
  const isConfined = (real: string): boolean => {
    if (!real.startsWith(prefix)) {
      return false;
    }
    const relative = real.slice(prefix.length);
    return !relative.startsWith(".") && !relative.includes(`${sep}.`);
  };

  /** Follows a symlink by hand: only a target that stays inside the root is opened. */
  const openSymlink = async (path: string): Promise<[number, string] | undefined> => {
    const real = await realpath(path);
    if (!isConfined(real)) {
      return undefined;
    }
    // `real` has no symlink left in it; O_NOFOLLOW makes a link swapped in since then fail.
    return [await openFile(real, OPEN_FLAGS), real];
  };

  return {
    root,
    async locate(name) {
      const path = prefix + name;
      try {
        let stats = lstatNow(path);
        let real = path;
        if (stats?.isSymbolicLink()) {
          real = await realpath(path);
          if (!isConfined(real)) {
            return undefined;
          }
          // lstat again: a link swapped in after realpath is seen as a link and refused below.
          stats = lstatNow(real);
        }
        return stats?.isFile() ? { path: real, stats } : undefined;
      } catch (error: unknown) {
        return ignoreNotFound(error);
      }
    },
    async open(name) {
      const path = prefix + name;
      let fd: number;
      let opened = path;
      try {
        fd = await openFile(path, OPEN_FLAGS);
      } catch (error: unknown) {
        const code = codeOf(error);
        if (code !== "ELOOP" && code !== "EMLINK") {
          return ignoreNotFound(error);
        }
        // ELOOP (Linux, macOS) or EMLINK (FreeBSD): `name` is a symlink.
        const target = await openSymlink(path).catch(ignoreNotFound);
        if (target === undefined) {
          return undefined;
        }
        [fd, opened] = target;
      }
      let stats: Stats;
      try {
        stats = await fstatFile(fd);
      } catch (error: unknown) {
        closeFd(fd);
        throw error;
      }
      if (!stats.isFile()) {
        closeFd(fd);
        return undefined;
      }
      return {
        fd,
        path: opened,
        size: stats.size,
        stats,
        etag: strongEtagOf(stats),
        lastModified: lastModifiedOf(stats),
      };
    },
  };
}

/**
 * lstat on the event loop, `undefined` when nothing has the name. Synchronous on purpose: this is
 * the one syscall every video request makes (the descriptor cache re-checks the name each time),
 * and the directory entry and inode of a file being served are in the kernel's caches, so the call
 * takes ~1–2 µs, where a round trip through libuv's thread pool cost ~15 % of Reel's CPU on small
 * ranges (`pnpm bench --profile`, W3). nginx stats and opens on its event loop the same way. A
 * missing name returns without building an exception (`throwIfNoEntry`), which a 404 pays for.
 */
function lstatNow(path: string): Stats | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}

/** Closes a descriptor without waiting; a failing close leaves nothing for the caller to do. */
export function closeFd(fd: number): void {
  close(fd, () => {});
}

function codeOf(error: unknown): string | undefined {
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return undefined;
}

/** `undefined` for the errors that mean "not a servable file"; anything else is rethrown. */
function ignoreNotFound(error: unknown): undefined {
  const code = codeOf(error);
  if (code !== undefined && NOT_FOUND_CODES.has(code)) {
    return undefined;
  }
  throw error;
}
