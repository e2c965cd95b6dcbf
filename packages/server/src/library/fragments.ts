/**
 * The duration of a fragmented MP4 (ISO/IEC 14496-12 §8.8) whose `moov` has no `mehd`: from a
 * segment index (`sidx`, §8.16.3) that covers the file, else from the timing of the last movie
 * fragment (`tfdt` + the `trun` sample durations). The last `moof` is found through the
 * movie fragment random access box at the end (`mfra`/`mfro`, §8.8.9–11) or a bounded backwards
 * search of the tail; every read and loop is capped, so adversarial files cost bounded work.
 */
import { type BoxLocation, type ReadBytes, readBoxHeaderAt } from "./boxes.js";

/** Per-track facts from `moov` that fragment timing needs. */
export interface FragmentTrack {
  /** Ticks per second (`mdhd` timescale). */
  timescale: number;
  /** `trex` default sample duration in ticks (0 when absent). */
  defaultSampleDuration: number;
}

/** Largest box read whole to parse it (`sidx`, `mfra`, `moof`); larger ones are skipped. */
export const MAX_INDEX_BOX_BYTES = 4 * 1024 * 1024; // bytes
/** How far from the end the backwards search for the last `moof` looks. */
export const MAX_TAIL_SCAN_BYTES = 8 * 1024 * 1024; // bytes
const TAIL_WINDOW_BYTES = 256 * 1024; // bytes per backwards read
const MAX_CANDIDATES = 64; // "moof" byte patterns checked before giving up
const MAX_BOXES_TO_END = 64; // boxes walked from a candidate to the end of the file
/** Boxes that may follow the last fragment's media data. */
const TRAILING_TYPES = new Set(["mfra", "free", "skip", "udta", "meta", "prft", "emsg", "styp"]);

/** A child box inside a parsed buffer: its type and the byte range of its payload. */
interface ChildBox {
  type: string;
  start: number;
  payloadStart: number;
  end: number;
}

/** The boxes laid end to end in `bytes[start..end)`; stops at the first one that does not fit. */
function* childBoxes(bytes: Buffer, start: number, end: number): Generator<ChildBox> {
  let position = start;
  while (position + 8 <= end) {
    const size32 = bytes.readUInt32BE(position);
    const type = bytes.toString("latin1", position + 4, position + 8);
    let size = size32;
    let payloadStart = position + 8;
    if (size32 === 0) {
      size = end - position;
    } else if (size32 === 1) {
      if (position + 16 > end) {
        return;
      }
      size = Number(bytes.readBigUInt64BE(position + 8));
      payloadStart = position + 16;
    }
    if (size < payloadStart - position || position + size > end) {
      return;
    }
    yield { type, start: position, payloadStart, end: position + size };
    position += size;
  }
}

/** Reads an unsigned 32- or 64-bit field (by FullBox `version`) at `offset`. */
function readVersioned(bytes: Buffer, offset: number, version: number): number {
  return version === 1 ? Number(bytes.readBigUInt64BE(offset)) : bytes.readUInt32BE(offset);
}

/** What one `sidx` says: its duration in seconds and the end offset of the media it indexes. */
export interface SegmentIndex {
  seconds: number;
  /** File offset just past the last referenced byte. */
  indexedEnd: number;
}

/** Decodes the `sidx` box `bytes` that starts at file offset `start`; `undefined` when malformed. */
export function parseSidx(bytes: Buffer, start: number): SegmentIndex | undefined {
  const [box] = childBoxes(bytes, 0, bytes.length);
  if (box?.type !== "sidx") {
    return undefined;
  }
  try {
    let offset = box.payloadStart;
    const version = bytes.readUInt8(offset);
    offset += 4 + 4; // version + flags, reference_ID
    const timescale = bytes.readUInt32BE(offset);
    offset += 4;
    const earliest = readVersioned(bytes, offset, version);
    offset += version === 1 ? 8 : 4;
    const firstOffset = readVersioned(bytes, offset, version);
    offset += (version === 1 ? 8 : 4) + 2; // + reserved
    const count = bytes.readUInt16BE(offset);
    offset += 2;
    if (timescale === 0 || offset + count * 12 > box.end) {
      return undefined;
    }
    let ticks = 0;
    let referenced = 0;
    for (let index = 0; index < count; index++, offset += 12) {
      referenced += bytes.readUInt32BE(offset) & 0x7fffffff;
      ticks += bytes.readUInt32BE(offset + 4);
    }
    return {
      seconds: (earliest + ticks) / timescale,
      indexedEnd: start + box.end + firstOffset + referenced,
    };
  } catch {
    return undefined; // a field past the end of the box
  }
}

/** The end time in seconds of the movie fragment `bytes`, the latest of its tracks. */
export function parseMoofEnd(
  bytes: Buffer,
  tracks: ReadonlyMap<number, FragmentTrack>,
): number | undefined {
  const [moof] = childBoxes(bytes, 0, bytes.length);
  if (moof?.type !== "moof") {
    return undefined;
  }
  let latest: number | undefined;
  try {
    for (const traf of childBoxes(bytes, moof.payloadStart, moof.end)) {
      if (traf.type !== "traf") {
        continue;
      }
      const end = parseTrafEnd(bytes, traf, tracks);
      if (end !== undefined && (latest === undefined || end > latest)) {
        latest = end;
      }
    }
  } catch {
    return latest; // a field past the end of its box: keep what the complete tracks said
  }
  return latest;
}

/** `tfdt` + the sample durations of one `traf`, in seconds; `undefined` without a `tfdt`. */
function parseTrafEnd(
  bytes: Buffer,
  traf: ChildBox,
  tracks: ReadonlyMap<number, FragmentTrack>,
): number | undefined {
  let track: FragmentTrack | undefined;
  let defaultDuration = 0;
  let base: number | undefined;
  let ticks = 0;
  for (const child of childBoxes(bytes, traf.payloadStart, traf.end)) {
    if (child.type !== "tfhd" && child.type !== "tfdt" && child.type !== "trun") {
      continue; // senc, saiz, sbgp, uuid…: nothing about timing
    }
    const version = bytes.readUInt8(child.payloadStart);
    const flags = bytes.readUInt32BE(child.payloadStart) & 0xffffff;
    let offset = child.payloadStart + 4;
    if (child.type === "tfhd") {
      track = tracks.get(bytes.readUInt32BE(offset));
      defaultDuration = track?.defaultSampleDuration ?? 0;
      offset += 4;
      offset += flags & 0x01 ? 8 : 0; // base-data-offset
      offset += flags & 0x02 ? 4 : 0; // sample-description-index
      if (flags & 0x08) {
        defaultDuration = bytes.readUInt32BE(offset);
      }
    } else if (child.type === "tfdt") {
      base = readVersioned(bytes, offset, version);
    } else if (child.type === "trun") {
      ticks += sumTrunDurations(bytes, child, flags, defaultDuration);
    }
  }
  return track === undefined || base === undefined || track.timescale === 0
    ? undefined
    : (base + ticks) / track.timescale;
}

/** Sum of a `trun`'s sample durations (§8.8.8); the sample count is bounded by the box size. */
function sumTrunDurations(
  bytes: Buffer,
  trun: ChildBox,
  flags: number,
  defaultDuration: number,
): number {
  let offset = trun.payloadStart + 4;
  const count = bytes.readUInt32BE(offset);
  offset += 4;
  offset += flags & 0x01 ? 4 : 0; // data-offset
  offset += flags & 0x04 ? 4 : 0; // first-sample-flags
  if (!(flags & 0x100)) {
    return count * defaultDuration;
  }
  const fieldBytes = 4 * [0x100, 0x200, 0x400, 0x800].filter((bit) => flags & bit).length;
  if (offset + count * fieldBytes > trun.end) {
    throw new RangeError("trun sample table runs past its box");
  }
  let ticks = 0;
  for (let index = 0; index < count; index++, offset += fieldBytes) {
    ticks += bytes.readUInt32BE(offset);
  }
  return ticks;
}

/** Reads the whole box at `box` when it is small enough to parse; `undefined` otherwise. */
async function readWholeBox(read: ReadBytes, box: BoxLocation): Promise<Buffer | undefined> {
  if (box.size > MAX_INDEX_BOX_BYTES) {
    return undefined;
  }
  const bytes = await read(box.start, box.start + box.size - 1);
  return bytes.length === box.size ? bytes : undefined;
}

/**
 * The duration in seconds of the fragmented file, from the `sidx` boxes found before its first
 * `moof` when one indexes the whole file, else from its last `moof`; `undefined` when neither
 * can be read within the bounds.
 */
export async function readFragmentedDuration(
  read: ReadBytes,
  fileSize: number,
  sidx: readonly BoxLocation[],
  tracks: ReadonlyMap<number, FragmentTrack>,
): Promise<number | undefined> {
  let fromIndex: number | undefined;
  for (const box of sidx) {
    const bytes = await readWholeBox(read, box);
    const index = bytes && parseSidx(bytes, box.start);
    if (index !== undefined && (await isTailFrom(read, index.indexedEnd, fileSize))) {
      fromIndex = Math.max(fromIndex ?? 0, index.seconds);
    }
  }
  if (fromIndex !== undefined) {
    return fromIndex;
  }
  const lastMoof = await findLastMoof(read, fileSize);
  const bytes = lastMoof && (await readWholeBox(read, lastMoof));
  return bytes && parseMoofEnd(bytes, tracks);
}

/** True when only trailing boxes (`mfra`, `free`, …) lie between `position` and the end. */
async function isTailFrom(read: ReadBytes, position: number, fileSize: number): Promise<boolean> {
  let at = position;
  for (let count = 0; count < MAX_BOXES_TO_END && at < fileSize; count++) {
    const box = await readBoxHeaderAt(read, at, fileSize);
    if (box === undefined || !TRAILING_TYPES.has(box.type)) {
      return false;
    }
    at += box.size;
  }
  return at === fileSize;
}

/**
 * The last `moof` of the file: through `mfra` when the file ends with an `mfro`, else by a
 * backwards search of at most `MAX_TAIL_SCAN_BYTES` for a `moof` whose boxes tile to the end.
 */
export async function findLastMoof(
  read: ReadBytes,
  fileSize: number,
): Promise<BoxLocation | undefined> {
  const viaRandomAccess = await readRandomAccessMoof(read, fileSize);
  const fromRandomAccess =
    viaRandomAccess === undefined
      ? undefined
      : await lastMoofToEnd(read, viaRandomAccess, fileSize);
  return fromRandomAccess ?? (await searchTailForMoof(read, fileSize));
}

/** The offset of the latest random-access `moof` listed by the `mfra` box, if any. */
async function readRandomAccessMoof(
  read: ReadBytes,
  fileSize: number,
): Promise<number | undefined> {
  if (fileSize < 16) {
    return undefined;
  }
  const mfro = await read(fileSize - 16, fileSize - 1);
  if (mfro.length !== 16 || mfro.toString("latin1", 4, 8) !== "mfro") {
    return undefined;
  }
  const mfraSize = mfro.readUInt32BE(12);
  if (mfraSize < 16 || mfraSize > fileSize) {
    return undefined;
  }
  const bytes = await readWholeBox(read, {
    type: "mfra",
    start: fileSize - mfraSize,
    size: mfraSize,
  });
  return bytes && parseMfraLatestMoof(bytes);
}

/** The largest `moof_offset` in the `tfra` boxes of the `mfra` box `bytes`. */
export function parseMfraLatestMoof(bytes: Buffer): number | undefined {
  const [mfra] = childBoxes(bytes, 0, bytes.length);
  if (mfra?.type !== "mfra") {
    return undefined;
  }
  let latest: number | undefined;
  try {
    for (const tfra of childBoxes(bytes, mfra.payloadStart, mfra.end)) {
      if (tfra.type !== "tfra") {
        continue;
      }
      const version = bytes.readUInt8(tfra.payloadStart);
      const lengths = bytes.readUInt32BE(tfra.payloadStart + 8);
      const count = bytes.readUInt32BE(tfra.payloadStart + 12);
      const fieldBytes = version === 1 ? 8 : 4;
      // traf, trun and sample numbers: (length_size_of_… + 1) bytes each.
      const numbers = ((lengths >> 4) & 3) + ((lengths >> 2) & 3) + (lengths & 3) + 3;
      const entryBytes = 2 * fieldBytes + numbers;
      let offset = tfra.payloadStart + 16;
      if (offset + count * entryBytes > tfra.end) {
        continue;
      }
      for (let index = 0; index < count; index++, offset += entryBytes) {
        const moofOffset = readVersioned(bytes, offset + fieldBytes, version);
        latest = latest === undefined ? moofOffset : Math.max(latest, moofOffset);
      }
    }
  } catch {
    return latest;
  }
  return latest;
}

/**
 * Walks at most `MAX_BOXES_TO_END` boxes from `position`; when they tile the file exactly and
 * hold only fragments and trailing boxes, the last `moof` among them.
 */
async function lastMoofToEnd(
  read: ReadBytes,
  position: number,
  fileSize: number,
): Promise<BoxLocation | undefined> {
  let last: BoxLocation | undefined;
  let at = position;
  for (let count = 0; count < MAX_BOXES_TO_END && at < fileSize; count++) {
    const box = await readBoxHeaderAt(read, at, fileSize);
    if (box === undefined) {
      return undefined;
    }
    if (box.type === "moof") {
      last = box;
    } else if (box.type !== "mdat" && box.type !== "sidx" && !TRAILING_TYPES.has(box.type)) {
      return undefined;
    }
    at += box.size;
  }
  return at === fileSize ? last : undefined;
}

/** Searches the tail backwards, window by window, for the start of the last fragment. */
async function searchTailForMoof(
  read: ReadBytes,
  fileSize: number,
): Promise<BoxLocation | undefined> {
  const floor = Math.max(0, fileSize - MAX_TAIL_SCAN_BYTES);
  let candidates = 0;
  for (let windowEnd = fileSize; windowEnd > floor; ) {
    const windowStart = Math.max(floor, windowEnd - TAIL_WINDOW_BYTES);
    // Eight bytes of overlap so a box header split across two windows is seen whole in one.
    const bytes = await read(windowStart, Math.min(fileSize, windowEnd + 8) - 1);
    for (
      let index = bytes.lastIndexOf("moof", bytes.length - 4, "latin1");
      index >= 4;
      index = bytes.lastIndexOf("moof", index - 1, "latin1")
    ) {
      if (++candidates > MAX_CANDIDATES) {
        return undefined;
      }
      const found = await lastMoofToEnd(read, windowStart + index - 4, fileSize);
      if (found !== undefined) {
        return found;
      }
    }
    windowEnd = windowStart;
  }
  return undefined;
}
