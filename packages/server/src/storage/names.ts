/**
 * The naming rules of a servable video (SPEC "filename"): one path segment, a served extension,
 * nothing hidden. Every store and the request schemas judge names here, so a name the stream
 * route refuses is never listed and never turned into a path or an object key.
 */

/** Extensions Reel serves, with the media type each is sent as. */
const CONTENT_TYPES = {
  ".mp4": "video/mp4",
  ".m4v": "video/mp4",
  ".webm": "video/webm",
  ".mov": "video/quicktime",
} as const satisfies Record<string, string>;

/** A served file extension, lower-cased with its dot. */
type ServedExtension = keyof typeof CONTENT_TYPES;
/** A media type Reel sends videos as. */
export type VideoContentType = (typeof CONTENT_TYPES)[ServedExtension];

const MAX_FILENAME_BYTES = 255; // one path segment on ext4/APFS/NTFS

/** True when `name` holds a C0 control, DEL or a C1 control: never part of a name we serve. */
function hasControlCharacter(name: string): boolean {
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      return true;
    }
  }
  return false;
}

/** The served extension of `name` (lower-cased), or `undefined` when it has none. */
function servedExtensionOf(name: string): ServedExtension | undefined {
  const dot = name.lastIndexOf(".");
  if (dot <= 0) {
    return undefined;
  }
  const extension = name.slice(dot).toLowerCase();
  return extension in CONTENT_TYPES ? (extension as ServedExtension) : undefined; // checked by `in`
}

/** True when `name` is a single path segment Reel may serve (SPEC "filename" rules). */
export function isServableFilename(name: string): boolean {
  return (
    name.length > 0 &&
    Buffer.byteLength(name, "utf8") <= MAX_FILENAME_BYTES &&
    !name.includes("/") &&
    !name.includes("\\") &&
    !hasControlCharacter(name) &&
    !name.startsWith(".") &&
    !name.includes("\uFFFD") && // a lone surrogate or invalid UTF-8 decoded to U+FFFD
    servedExtensionOf(name) !== undefined
  );
}

/** The media type a servable `name` is sent as (`video/mp4` for a name without a served extension). */
export function contentTypeOf(name: string): VideoContentType {
  return CONTENT_TYPES[servedExtensionOf(name) ?? ".mp4"];
}

/** Extensions of sidecar subtitle files beside a video. */
const SIDECAR_EXTENSIONS = [".vtt", ".srt"] as const;

/**
 * True when `name` may be a sidecar subtitle file (`NAME.vtt`, `NAME.en.srt`): the same segment
 * rules as a video, ending in `.vtt` or `.srt` instead. Sidecars are never listed as videos.
 */
export function isSidecarFilename(name: string): boolean {
  const extension = name.slice(name.lastIndexOf(".")).toLowerCase();
  return (
    name.length > 0 &&
    Buffer.byteLength(name, "utf8") <= MAX_FILENAME_BYTES &&
    !name.includes("/") &&
    !name.includes("\\") &&
    !hasControlCharacter(name) &&
    !name.startsWith(".") &&
    !name.includes("\uFFFD") &&
    SIDECAR_EXTENSIONS.some((candidate) => candidate === extension)
  );
}

/** `name` without its last extension (`a.b.mp4` → `a.b`): the prefix its sidecars share. */
export function stemOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? name : name.slice(0, dot);
}
