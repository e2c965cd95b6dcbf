/**
 * The download progress display: a bar redrawn in place (`\r`) on a terminal, plain lines every
 * tenth of the way when stderr is a file or a pipe (CI logs stay readable). Formatting is pure.
 */

/** Where progress goes: stderr, and whether it is a terminal. */
export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

/** Something that takes byte counts and shows them. */
export interface ProgressReporter {
  update(loaded: number, total: number): void;
  /** Ends the display (a newline after a bar). */
  finish(): void;
}

const BAR_WIDTH = 30; // characters
const REDRAW_MS = 100; // a terminal redraw at most this often
const LINE_STEP = 10; // percent between plain lines

/** `bytes` as B, KB, MB or GB (powers of 1000, one decimal past KB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Whole percent of `loaded` in `total`; an empty file is 100 %. */
export function percentOf(loaded: number, total: number): number {
  return total === 0 ? 100 : Math.floor((loaded / total) * 100);
}

/** One bar: `[#########.....]  62%  12.4 MB / 20.0 MB  3.1 MB/s`. */
export function formatBar(loaded: number, total: number, bytesPerSecond: number): string {
  const percent = percentOf(loaded, total);
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  const bar = `${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}`;
  const speed = bytesPerSecond > 0 ? `  ${formatBytes(Math.round(bytesPerSecond))}/s` : "";
  return `[${bar}] ${String(percent).padStart(3)}%  ${formatBytes(loaded)} / ${formatBytes(total)}${speed}`;
}

/** A reporter for `sink`: a bar on a terminal, lines every 10 % elsewhere. */
export function createProgressReporter(
  sink: ProgressSink,
  now = () => Date.now(),
): ProgressReporter {
  const startedAt = now();
  let startBytes: number | undefined;
  let lastDraw = Number.NEGATIVE_INFINITY; // the first update is drawn at once
  let lastStep = -1;
  let drawn = false;
  let latest = { loaded: 0, total: 0 };
  const speed = (loaded: number) => {
    const seconds = (now() - startedAt) / 1000;
    return seconds > 0 ? (loaded - (startBytes ?? loaded)) / seconds : 0;
  };
  const draw = () => {
    sink.write(`\r${formatBar(latest.loaded, latest.total, speed(latest.loaded))}`);
    drawn = true;
  };
  return {
    update(loaded, total) {
      startBytes ??= loaded; // a resumed download starts counting speed from its offset
      latest = { loaded, total };
      if (sink.isTTY) {
        if (now() - lastDraw >= REDRAW_MS || loaded === total) {
          lastDraw = now();
          draw();
        }
        return;
      }
      const step = Math.floor(percentOf(loaded, total) / LINE_STEP);
      if (step > lastStep) {
        lastStep = step;
        sink.write(
          `${percentOf(loaded, total)}%  ${formatBytes(loaded)} / ${formatBytes(total)}\n`,
        );
      }
    },
    finish() {
      if (sink.isTTY && drawn) {
        draw();
        sink.write("\n");
      }
    },
  };
}
