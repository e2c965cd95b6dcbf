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
}

const HEADER_BYTES = 16; // size + type + largesize
const MAX_BOXES = 4096; // fragmented files have many moof/mdat pairs; the facts are found long before

/** Reads the box layout, or `undefined` when the boxes do not tile the file (truncated or not MP4). */
export async function readTopLevelLayout(
  read: ReadBytes,
  fileSize: number,
): Promise<TopLevelLayout | undefined> {
  let ftyp: BoxLocation | undefined;
  let moov: BoxLocation | undefined;
  let mdatSeen = false;
  let moovBeforeMdat = false;
  let position = 0;
  for (let count = 0; count < MAX_BOXES && position < fileSize; count++) {
    if (fileSize - position < 8) {
      break; // a few trailing bytes cannot hold a box; players ignore them too
    }
    const header = await read(position, Math.min(position + HEADER_BYTES, fileSize) - 1);
    const box = parseBoxHeader(header, position, fileSize);
    if (box === undefined || position + box.size > fileSize) {
      return undefined; // a box that runs past the end: the file was cut short
    }
    if (box.type === "ftyp" && ftyp === undefined) {
      ftyp = box;
    } else if (box.type === "moov" && moov === undefined) {
      moov = box;
      moovBeforeMdat = !mdatSeen;
    } else if (box.type === "mdat") {
      mdatSeen = true;
    }
    position += box.size;
  }
  return { ftyp, moov, moovBeforeMdat };
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
