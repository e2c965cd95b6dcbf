/**
 * Pumps a byte range of a shared descriptor straight into the response, reusing its read buffers.
 *
 * Hand-written, not `fs.createReadStream` piped by koa, for two measured reasons:
 * - `createReadStream` closes its fd on `destroy()` whatever `autoClose` says (Node 20), and koa
 *   destroys the body when a client goes away: that would close a descriptor other requests share.
 * - A stream allocates a fresh chunk-sized Buffer per read. At ~1 GB/s that external-memory churn
 *   makes V8 run full mark-compact GCs, whose cost grows with the heap: a plain Koa file server
 *   sent the whole 64 MiB file at ~1,250 MiB/s, the same server with Reel's modules loaded at
 *   ~820 MiB/s (`pnpm bench --quick --workloads W1`, bench/RESULTS.md). Here a buffer goes back
 *   to a small pool once the socket has taken its bytes (the write callback), so a transfer
 *   allocates nothing per chunk.
 */
import type { Writable } from "node:stream";
import { RepresentationChangedError } from "../store.js";
import type { SmallReads } from "./small-reads.js";

const POOL_LIMIT = 32; // buffers kept for reuse; 32 × 64 KiB = 2 MiB at the default CHUNK_SIZE
const pool: Buffer[] = [];

function takeBuffer(size: number): Buffer {
  const pooled = pool.pop();
  if (pooled !== undefined && pooled.length === size) {
    return pooled;
  }
  return Buffer.allocUnsafeSlow(size);
}

function giveBack(buffer: Buffer): void {
  if (pool.length < POOL_LIMIT) {
    pool.push(buffer);
  }
}

/** How `pumpRange` reads. */
export interface PumpOptions {
  /** Bytes per read (`CHUNK_SIZE`). */
  chunkSize: number;
  /** The video's name, for `RepresentationChangedError`. */
  name: string;
  /** The store's reader (event loop or thread pool). */
  reads: Pick<SmallReads, "readInto">;
}

/**
 * Writes bytes `start..end` (inclusive) of `fd` into `sink` in reads of at most `chunkSize`
 * (through `reads`, so on the event loop while the page cache answers), one read in flight, pausing on backpressure, and never ends `sink` (the caller may write more, as a
 * multipart body does). Resolves once the last byte is handed to `sink`, or once `sink` is
 * destroyed or closed and no read is in flight (the descriptor may then be released).
 * @throws {RepresentationChangedError} when the file ends before `end` (it shrank).
 * @throws the read's own error (EIO, …).
 */
export function pumpRange(
  sink: Writable,
  fd: number,
  start: number,
  end: number,
  options: PumpOptions,
): Promise<void> {
  const { chunkSize, name, reads } = options;
  return new Promise((resolve, reject) => {
    let position = start;
    let reading = false;
    let over = false;

    const finish = (error?: Error) => {
      if (!over) {
        over = true;
        sink.off("close", onClose);
        sink.off("drain", next);
        if (error === undefined) {
          resolve();
        } else {
          reject(error);
        }
      }
    };
    const onClose = () => {
      if (!reading) {
        finish();
      }
    };

    function next(): void {
      if (sink.destroyed) {
        finish();
        return;
      }
      const length = Math.min(chunkSize, end - position + 1);
      if (length <= 0) {
        finish();
        return;
      }
      const buffer = takeBuffer(chunkSize);
      reading = true;
      reads.readInto(fd, buffer, length, position).then(
        (bytesRead) => afterRead(buffer, null, bytesRead),
        (error: Error) => afterRead(buffer, error, 0),
      );
    }

    function afterRead(buffer: Buffer, error: Error | null, bytesRead: number): void {
      reading = false;
      if (sink.destroyed) {
        giveBack(buffer);
        finish();
        return;
      }
      if (error !== null || bytesRead === 0) {
        giveBack(buffer);
        finish(error ?? new RepresentationChangedError(name, position));
        return;
      }
      position += bytesRead;
      const chunk = bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead);
      // The callback runs once the socket no longer needs the bytes: only then may the buffer
      // be read into again. After an error (socket destroyed) it is left to the GC, to be safe.
      const hasRoom = sink.write(chunk, (writeError) => {
        if (!writeError) {
          giveBack(buffer);
        }
      });
      if (hasRoom) {
        next();
      } else {
        sink.once("drain", next);
      }
    }

    sink.on("close", onClose);
    next();
  });
}
