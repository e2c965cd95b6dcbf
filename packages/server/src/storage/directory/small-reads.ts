/**
 * Reads of small ranges (a player's seeks), made on the event loop while the page cache answers
 * them, and through libuv's thread pool while the disk does.
 *
 * Why not always the thread pool: a positional read of 10 KB that the page cache holds takes a
 * few µs, and the round trip to a pool thread and back (queue, wake, completion callback) cost
 * ~20 µs of CPU per request on top of it, a fifth of Reel's whole cost per 10 KB range
 * (measured with a bare `node:http` server reading 10 KB per request: 37.5 µs with `readSync`,
 * 56.7 µs with `fs.read`, one pinned core). nginx reads on its event loop the same way.
 *
 * Why not always on the event loop: a read the disk must serve (a cold file on a spinning disk or
 * a network share) takes milliseconds, and every other request waits for it. So each read is
 * timed; one slower than `slowReadMs` means the disk is answering, and reads go through the pool
 * for `poolForMs` before the loop tries again. A cold library costs at most one blocking read per
 * window.
 */
import { read, readSync } from "node:fs";

/** Tuning and a clock, for tests. */
export interface SmallReadsOptions {
  /** A read taking longer than this (ms) was served by the disk, not the page cache. Default 2. */
  slowReadMs?: number;
  /** How long (ms) reads go through the thread pool after a slow one. Default 1,000. */
  poolForMs?: number;
  /** Reads longer than this (bytes) always go through the pool (probes, large ranges). Default 64 KiB. */
  maxLoopBytes?: number;
  /** Monotonic milliseconds; `performance.now` by default. */
  now?: () => number;
}

/** Reads a range of an open descriptor into a fresh buffer. */
export interface SmallReads {
  /**
   * Up to `length` bytes at byte `position` of `fd`, in a buffer of its own (it is handed to the
   * socket, so never reused); shorter only at the end of the file.
   * @throws the read's error (EIO, EBADF, …) as a rejection.
   */
  read(fd: number, position: number, length: number): Promise<Buffer>;
  /**
   * Reads up to `length` bytes at byte `position` of `fd` into the start of `buffer` (which the
   * caller owns and may reuse once this settles); resolves with the number of bytes read, fewer
   * only at the end of the file. Same choice of loop or pool as `read`.
   * @throws the read's error as a rejection.
   */
  readInto(fd: number, buffer: Buffer, length: number, position: number): Promise<number>;
  /** True while reads go through the thread pool (after a slow read). */
  readonly pooled: boolean;
  /** Reads made so far on the event loop and through the pool. */
  readonly counts: { readonly onLoop: number; readonly inPool: number };
}

// An SSD's miss (~0.1 ms) may as well block; a spinning disk's seek or a network share's round
// trip (several ms) must not. Wall time also counts this process being descheduled on a busy
// machine, so the threshold sits well above a page-cache read, and a wrong guess costs 1 s.
const DEFAULT_SLOW_READ_MS = 2;
const DEFAULT_POOL_FOR_MS = 1000;
// Copying 64 KiB out of the page cache takes ~10 µs; a larger read (a media probe's look at the
// end of a file) would hold the loop longer and look like a disk read to the timer.
const DEFAULT_MAX_LOOP_BYTES = 64 * 1024;

/** Small reads that start on the event loop (see the module comment). */
export function createSmallReads(options: SmallReadsOptions = {}): SmallReads {
  const slowReadMs = options.slowReadMs ?? DEFAULT_SLOW_READ_MS;
  const poolForMs = options.poolForMs ?? DEFAULT_POOL_FOR_MS;
  const maxLoopBytes = options.maxLoopBytes ?? DEFAULT_MAX_LOOP_BYTES;
  const now = options.now ?? (() => performance.now());
  let poolUntil = Number.NEGATIVE_INFINITY;
  const counts = { onLoop: 0, inPool: 0 };

  const readInto = (
    fd: number,
    buffer: Buffer,
    length: number,
    position: number,
  ): Promise<number> => {
    const startedAt = now();
    if (length > maxLoopBytes || startedAt < poolUntil) {
      counts.inPool += 1;
      return readInPool(fd, buffer, length, position);
    }
    counts.onLoop += 1;
    let bytesRead: number;
    try {
      bytesRead = readSync(fd, buffer, 0, length, position);
    } catch (error: unknown) {
      return Promise.reject(error);
    }
    if (now() - startedAt > slowReadMs) {
      poolUntil = now() + poolForMs;
    }
    return Promise.resolve(bytesRead);
  };

  return {
    get pooled() {
      return now() < poolUntil;
    },
    counts,
    readInto,
    async read(fd, position, length) {
      const buffer = Buffer.allocUnsafe(length);
      const bytesRead = await readInto(fd, buffer, length, position);
      return bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
    },
  };
}

/** `fs.read` through libuv's thread pool, as a promise of the bytes read. */
function readInPool(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => {
      if (error) {
        reject(error);
      } else {
        resolve(bytesRead);
      }
    });
  });
}
