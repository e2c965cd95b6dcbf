import { describe, expect, it } from "vitest";
import { type ReadBytes, readTopLevelLayout } from "./boxes.js";
import {
  type FragmentTrack,
  findLastMoof,
  MAX_TAIL_SCAN_BYTES,
  parseMfraLatestMoof,
  parseMoofEnd,
  parseSidx,
  readFragmentedDuration,
} from "./fragments.js";

/** One box: 32-bit size, type, payload. */
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
}

/** A FullBox: version, 24-bit flags, payload. */
function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, head, ...payload);
}

const u32 = (...values: number[]) => {
  const bytes = Buffer.alloc(4 * values.length);
  for (const [index, value] of values.entries()) {
    bytes.writeUInt32BE(value, 4 * index);
  }
  return bytes;
};
const u64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value), 0);
  return bytes;
};

const TIMESCALE = 12_800; // ticks per second, as ffmpeg's default video track timescale
const SAMPLE_TICKS = 512; // 25 fps
const SAMPLES_PER_FRAGMENT = 2;
const TRACKS = new Map<number, FragmentTrack>([
  [1, { timescale: TIMESCALE, defaultSampleDuration: 0 }],
]);

/** Fragment `index`: a `moof` (one `traf` with tfdt + a two-sample trun) and a tiny `mdat`. */
function fragment(index: number): Buffer {
  const traf = box(
    "traf",
    fullBox("tfhd", 0, 0x08, u32(1, SAMPLE_TICKS)), // track 1, default-sample-duration
    fullBox("tfdt", 1, 0, u64(index * SAMPLES_PER_FRAGMENT * SAMPLE_TICKS)),
    fullBox("trun", 0, 0, u32(SAMPLES_PER_FRAGMENT)),
  );
  return Buffer.concat([
    box("moof", fullBox("mfhd", 0, 0, u32(index + 1)), traf),
    box("mdat", Buffer.alloc(8)),
  ]);
}

const HEAD = Buffer.concat([
  box("ftyp", Buffer.from("iso5\0\0\0\0iso5", "latin1")),
  box("moov", box("mvex", fullBox("trex", 0, 0, u32(1, 1, 0, 0, 0)))),
]);
const FRAGMENT_BYTES = fragment(0).length; // every fragment has the same size

/**
 * A fragmented file of `count` fragments, synthesised on demand: it is never materialised, so
 * millions of fragments cost nothing until read. `tail` is appended after the last fragment.
 */
function lazyFragmentedFile(count: number, tail: Buffer = Buffer.alloc(0)) {
  const fragmentsEnd = HEAD.length + count * FRAGMENT_BYTES;
  const size = fragmentsEnd + tail.length;
  const stats = { reads: 0, bytes: 0 };
  const read: ReadBytes = async (start, end) => {
    stats.reads += 1;
    const last = Math.min(end, size - 1);
    const parts: Buffer[] = [];
    for (let position = start; position <= last; ) {
      let piece: Buffer;
      let offset: number;
      if (position < HEAD.length) {
        piece = HEAD;
        offset = position;
      } else if (position < fragmentsEnd) {
        const index = Math.floor((position - HEAD.length) / FRAGMENT_BYTES);
        piece = fragment(index);
        offset = position - HEAD.length - index * FRAGMENT_BYTES;
      } else {
        piece = tail;
        offset = position - fragmentsEnd;
      }
      const taken = piece.subarray(offset, offset + (last - position + 1));
      parts.push(taken);
      position += taken.length;
    }
    const bytes = Buffer.concat(parts);
    stats.bytes += bytes.length;
    return bytes;
  };
  return { read, size, stats, lastMoofStart: fragmentsEnd - FRAGMENT_BYTES };
}

/** An `mfra` whose one `tfra` lists `moofOffsets` (version 1, one-byte numbers), plus its `mfro`. */
function mfra(moofOffsets: number[]): Buffer {
  const entries = moofOffsets.map((offset, index) =>
    Buffer.concat([u64(index), u64(offset), Buffer.from([1, 1, 1])]),
  );
  const tfra = fullBox("tfra", 1, 0, u32(1, 0, entries.length), ...entries);
  const size = 8 + tfra.length + 16;
  return box("mfra", tfra, fullBox("mfro", 0, 0, u32(size)));
}

describe("readFragmentedDuration", () => {
  describe("with two million fragments", () => {
    const COUNT = 2_000_000;
    const seconds = (COUNT * SAMPLES_PER_FRAGMENT * SAMPLE_TICKS) / TIMESCALE;

    it("stops the top-level walk at the first moof", async () => {
      const file = lazyFragmentedFile(COUNT);
      const layout = await readTopLevelLayout(file.read, file.size);
      expect(layout?.firstMoof?.start).toBe(HEAD.length);
      expect(layout?.moovBeforeMdat).toBe(true);
      expect(file.stats.reads).toBeLessThanOrEqual(3);
    });

    it("finds the last fragment by searching only the tail", async () => {
      const file = lazyFragmentedFile(COUNT);
      expect(await readFragmentedDuration(file.read, file.size, [], TRACKS)).toBe(seconds);
      expect(file.stats.bytes).toBeLessThan(1024 * 1024);
      expect(file.stats.reads).toBeLessThan(20);
    });

    it("finds the last fragment through mfra with a few small reads", async () => {
      const plain = lazyFragmentedFile(COUNT);
      const file = lazyFragmentedFile(COUNT, mfra([HEAD.length, plain.lastMoofStart]));
      expect(await readFragmentedDuration(file.read, file.size, [], TRACKS)).toBe(seconds);
      expect(file.stats.bytes).toBeLessThan(4096);
    });
  });

  describe("with a segment index before the first moof", () => {
    /** The lazy file, read as if `sidxBytes` sat at offset 0 (the walker found it there). */
    const withSidx = (file: ReturnType<typeof lazyFragmentedFile>, sidxBytes: Buffer) => {
      const read: ReadBytes = (start, end) =>
        start === 0 && end === sidxBytes.length - 1
          ? Promise.resolve(sidxBytes)
          : file.read(start, end);
      return { read, boxes: [{ type: "sidx", start: 0, size: sidxBytes.length }] };
    };

    it("takes the duration from a sidx that indexes the whole file", async () => {
      const file = lazyFragmentedFile(10);
      const head = sidx({ timescale: 1000, durations: [2000, 2500], referenced: 0 }).length;
      const sidxBytes = sidx({
        timescale: 1000,
        durations: [2000, 2500],
        referenced: file.size - head,
      });
      expect(parseSidx(sidxBytes, 0)).toEqual({ seconds: 4.5, indexedEnd: file.size });
      const { read, boxes } = withSidx(file, sidxBytes);
      expect(await readFragmentedDuration(read, file.size, boxes, TRACKS)).toBe(4.5);
    });

    it("falls back to the last moof when the sidx indexes only the first segment", async () => {
      const file = lazyFragmentedFile(10);
      const sidxBytes = sidx({ timescale: 1000, durations: [999_000], referenced: 100 });
      const { read, boxes } = withSidx(file, sidxBytes);
      const duration = await readFragmentedDuration(read, file.size, boxes, TRACKS);
      expect(duration).toBe((10 * SAMPLES_PER_FRAGMENT * SAMPLE_TICKS) / TIMESCALE);
    });
  });

  describe("on adversarial input", () => {
    it("gives up after a bounded search when the tail is full of fake moof patterns", async () => {
      // Every "moof" claims more bytes than the file has: none may be taken for a fragment.
      const noise = Buffer.from("\xff\xff\xff\xf0moof".repeat(1_500_000), "latin1"); // 12 MB
      const bytes = Buffer.concat([HEAD, box("mdat", noise)]);
      const stats = { reads: 0, bytes: 0 };
      const read: ReadBytes = async (start, end) => {
        stats.reads += 1;
        const slice = bytes.subarray(start, end + 1);
        stats.bytes += slice.length;
        return slice;
      };
      expect(await findLastMoof(read, bytes.length)).toBeUndefined();
      expect(stats.bytes).toBeLessThanOrEqual(MAX_TAIL_SCAN_BYTES + 64 * 64 * 16);
      expect(stats.reads).toBeLessThan(64 * 64 + 64);
    });

    it("refuses a moov that declares more bytes than the file has", async () => {
      const moov = Buffer.alloc(16);
      moov.writeUInt32BE(1, 0);
      moov.write("moov", 4, "latin1");
      moov.writeBigUInt64BE(2n ** 50n, 8);
      const bytes = Buffer.concat([box("ftyp", Buffer.alloc(8)), moov]);
      const read: ReadBytes = async (start, end) => bytes.subarray(start, end + 1);
      expect(await readTopLevelLayout(read, bytes.length)).toBeUndefined();
    });

    it("refuses a largesize smaller than its own header, and reads size 0 as to the end", async () => {
      const tiny = Buffer.alloc(16);
      tiny.writeUInt32BE(1, 0);
      tiny.write("free", 4, "latin1");
      tiny.writeBigUInt64BE(8n, 8);
      const looped = Buffer.concat([box("ftyp", Buffer.alloc(8)), tiny]);
      const reader =
        (bytes: Buffer): ReadBytes =>
        async (start, end) =>
          bytes.subarray(start, end + 1);
      expect(await readTopLevelLayout(reader(looped), looped.length)).toBeUndefined();

      const toEnd = Buffer.concat([
        HEAD,
        Buffer.from([0, 0, 0, 0]),
        Buffer.from("mdat"),
        Buffer.alloc(64),
      ]);
      const layout = await readTopLevelLayout(reader(toEnd), toEnd.length);
      expect(layout?.moovBeforeMdat).toBe(true);
    });

    it("reads an mfra whose entry count runs past the box as listing nothing", () => {
      const entries = Buffer.concat([u64(0), u64(1234), Buffer.from([1, 1, 1])]);
      const tfra = fullBox("tfra", 1, 0, u32(1, 0, 0xffffffff), entries);
      expect(parseMfraLatestMoof(box("mfra", tfra))).toBeUndefined();
    });

    it("skips boxes of a traf that say nothing about timing, even empty ones", () => {
      const traf = box(
        "traf",
        box("uuid"),
        fullBox("tfhd", 0, 0x08, u32(1, SAMPLE_TICKS)),
        fullBox("tfdt", 0, 0, u32(TIMESCALE)),
        fullBox("trun", 0, 0, u32(25)),
      );
      expect(parseMoofEnd(box("moof", traf), TRACKS)).toBe(2);
    });

    it("answers undefined for a moof whose trun table runs past its box", async () => {
      const traf = box(
        "traf",
        fullBox("tfhd", 0, 0, u32(1)),
        fullBox("tfdt", 0, 0, u32(0)),
        fullBox("trun", 0, 0x100, u32(0x7fffffff)), // two billion per-sample durations, none present
      );
      const moof = box("moof", traf);
      const bytes = Buffer.concat([HEAD, moof, box("mdat", Buffer.alloc(8))]);
      const read: ReadBytes = async (start, end) => bytes.subarray(start, end + 1);
      expect(await readFragmentedDuration(read, bytes.length, [], TRACKS)).toBeUndefined();
    });
  });
});

/** A version-0 `sidx` with one reference per duration, sharing `referenced` bytes. */
function sidx(options: { timescale: number; durations: number[]; referenced: number }): Buffer {
  const references = options.durations.map((duration, index) =>
    u32(index === 0 ? options.referenced : 0, duration, 0x90000000),
  );
  const counts = Buffer.alloc(4);
  counts.writeUInt16BE(options.durations.length, 2);
  return fullBox("sidx", 0, 0, u32(1, options.timescale, 0, 0), counts, ...references);
}
