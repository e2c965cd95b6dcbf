/**
 * A byte range of a shared descriptor as a stream. Hand-written because `fs.createReadStream`
 * closes its fd on `destroy()` whatever `autoClose` says (Node 20's `_destroy` always closes),
 * and koa destroys the body when a client goes away: that would close a descriptor other
 * requests are reading, and a reused fd number could then serve another file's bytes.
 */
import { read } from "node:fs";
import { Readable } from "node:stream";

/**
 * Streams bytes `start..end` (inclusive) of `fd` with positional reads of at most `chunkSize`,
 * one read in flight, only when the consumer asks (backpressure). `onClose` runs exactly once,
 * when the stream ends, fails or is destroyed, and never while a read is still in flight.
 */
export function createRangeStream(
  fd: number,
  start: number,
  end: number,
  chunkSize: number,
  onClose: () => void,
): Readable {
  return new RangeStream(fd, start, end, chunkSize, onClose);
}

class RangeStream extends Readable {
  readonly #fd: number;
  readonly #end: number;
  readonly #chunkSize: number;
  readonly #onClose: () => void;
  #position: number;
  #reading = false;
  /** Set by `_destroy` while a read is in flight: finishes the destroy once it lands. */
  #afterRead: (() => void) | undefined;

  constructor(fd: number, start: number, end: number, chunkSize: number, onClose: () => void) {
    super({ highWaterMark: chunkSize });
    this.#fd = fd;
    this.#position = start;
    this.#end = end;
    this.#chunkSize = chunkSize;
    this.#onClose = onClose;
  }

  override _read(): void {
    const length = Math.min(this.#chunkSize, this.#end - this.#position + 1);
    if (length <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafe(length);
    this.#reading = true;
    read(this.#fd, buffer, 0, length, this.#position, (error, bytesRead) => {
      this.#reading = false;
      if (this.#afterRead !== undefined) {
        this.#afterRead();
        return;
      }
      if (error) {
        this.destroy(error);
        return;
      }
      if (bytesRead === 0) {
        // The promised Content-Length can no longer be met: fail the response, don't pad it.
        this.destroy(new Error(`file shrank while sending byte ${this.#position}`));
        return;
      }
      this.#position += bytesRead;
      this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
      if (this.#position > this.#end) {
        this.push(null);
      }
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const finish = () => {
      this.#onClose();
      callback(error);
    };
    if (this.#reading) {
      this.#afterRead = finish;
    } else {
      finish();
    }
  }
}
