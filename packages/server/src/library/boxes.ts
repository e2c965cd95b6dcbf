/**
 * Walks the top-level boxes of an ISO BMFF (MP4/MOV) file with one small header read per box,
 * so finding `moov` never reads `mdat` (ISO/IEC 14496-12 §4.2: 32-bit size, type, optional
 * 64-bit `largesize`; size 0 means "to the end of the file").
 */
/** Reads bytes `start..end` (inclusive) of the file; a shorter result means it ended early. */
export type ReadBytes = (start: number, end: number) => Promise<Buffer>;

/** Position of one top-level box. */
export interface BoxLocation {
  type: string;
  start: number;
  size: number;
}

/** The layout facts the media reader needs; `undefined` fields were not found. */
export interface TopLevelLayout {
  ftyp: BoxLocation | undefined;
  moov: BoxLocation | undefined;
  /** True when `moov` comes before the first `mdat` (the "faststart" layout). */
  moovBeforeMdat: boolean;
  /** `sidx` boxes between `moov` and the first `moof` (DASH segment indexes), in file order. */
  sidx: BoxLocation[];
  /** The first movie fragment, when the walk met one. */
  firstMoof: BoxLocation | undefined;
}

/** Bytes of one box header: size + type + largesize. */
export const HEADER_BYTES = 16;
// Bounds the walk on adversarial input: a late `moov` follows a handful of boxes in real files.
const MAX_BOXES = 4096;
const MAX_SIDX = 16; // ffmpeg writes one per track; more add nothing to the facts

/**
 * Reads the top-level box layout with one `HEADER_BYTES` read per box (at most `MAX_BOXES`), or
 * `undefined` when the boxes do not tile the file (truncated or not MP4). The walk stops at the
 * first `moof` or `mdat` after `moov`: a file with millions of fragments costs a few reads.
 */
export async function readTopLevelLayout(
  read: ReadBytes,
  fileSize: number,
): Promise<TopLevelLayout | undefined> {
  let ftyp: BoxLocation | undefined;
  let moov: BoxLocation | undefined;
  let firstMoof: BoxLocation | undefined;
  const sidx: BoxLocation[] = [];
  let mdatSeen = false;
  let moovBeforeMdat = false;
  let position = 0;
  for (let count = 0; count < MAX_BOXES && position < fileSize; count++) {
    if (fileSize - position < 8) {
      break; // a few trailing bytes cannot hold a box; players ignore them too
    }
    const box = await readBoxHeaderAt(read, position, fileSize);
    if (box === undefined) {
      return undefined; // not a box, or one that runs past the end: the file was cut short
    }
    if (box.type === "ftyp" && ftyp === undefined) {
      ftyp = box;
    } else if (box.type === "moov" && moov === undefined) {
      moov = box;
      moovBeforeMdat = !mdatSeen;
    } else if (box.type === "mdat") {
      mdatSeen = true;
    } else if (box.type === "moof") {
      firstMoof ??= box;
    } else if (box.type === "sidx" && firstMoof === undefined && sidx.length < MAX_SIDX) {
      sidx.push(box);
    }
    if (moov !== undefined && (mdatSeen || firstMoof !== undefined)) {
      break; // nothing after the first media data changes the facts read here
    }
    position += box.size;
  }
  return { ftyp, moov, moovBeforeMdat, sidx, firstMoof };
}

/** Reads and decodes the box header at `position`; `undefined` when none fits in the file there. */
export async function readBoxHeaderAt(
  read: ReadBytes,
  position: number,
  fileSize: number,
): Promise<BoxLocation | undefined> {
  const header = await read(position, Math.min(position + HEADER_BYTES, fileSize) - 1);
  const box = parseBoxHeader(header, position, fileSize);
  return box === undefined || position + box.size > fileSize ? undefined : box;
}

/** Decodes one box header at `start`; `undefined` when it is not a plausible box. */
export function parseBoxHeader(
  bytes: Buffer,
  start: number,
  fileSize: number,
): BoxLocation | undefined {
  if (bytes.length < 8) {
    return undefined;
  }
  const type = bytes.toString("latin1", 4, 8);
  if (!/^[\x20-\x7e]{4}$/.test(type)) {
    return undefined; // box types are printable four-character codes
  }
  const size32 = bytes.readUInt32BE(0);
  if (size32 === 0) {
    return { type, start, size: fileSize - start };
  }
  if (size32 === 1) {
    if (bytes.length < 16) {
      return undefined;
    }
    const size = Number(bytes.readBigUInt64BE(8));
    return size >= 16 ? { type, start, size } : undefined;
  }
  return size32 >= 8 ? { type, start, size: size32 } : undefined;
}
