/**
 * Sidecar subtitle files of the video directory (`NAME.en.srt` beside `NAME.mp4`). One `readdir`
 * answers for every video probed within `MAX_AGE_MS`, so the initial scan of a large directory
 * costs one more listing, not one per video. Confinement is the video's: `VideoDirectory.locate`.
 */
import { readdir, readFile } from "node:fs/promises";
import { isSidecarFilename, stemOf } from "../names.js";
import { MAX_SIDECAR_BYTES, type SidecarContent, type StoredSidecar } from "../store.js";
import { strongEtagOf } from "./validators.js";
import type { VideoDirectory } from "./video-directory.js";

const MAX_AGE_MS = 1000; // a listing is reused this long; a sidecar added later is seen after it

/** Finds and reads the sidecars of one video directory. */
export interface SidecarFiles {
  /** The sidecars named `STEM.…` beside the video `videoName`. */
  sidecarsOf(videoName: string): Promise<StoredSidecar[]>;
  /** The content of the sidecar `name`; `undefined` when missing, refused or too large. */
  read(name: string): Promise<SidecarContent | undefined>;
  /** Forgets the reused listing: a sidecar was added, replaced or removed. */
  invalidate(): void;
}

/** Sidecar access over `directory`. */
export function createSidecarFiles(directory: VideoDirectory): SidecarFiles {
  let listing: { at: number; names: Promise<string[]> } | undefined;

  const sidecarNames = (): Promise<string[]> => {
    const now = Date.now();
    if (listing === undefined || now - listing.at > MAX_AGE_MS) {
      const names = readdir(directory.root).then((all) => all.filter(isSidecarFilename));
      listing = { at: now, names };
      names.catch(() => {
        listing = undefined; // do not keep a failed listing
      });
    }
    return listing.names;
  };

  return {
    async sidecarsOf(videoName) {
      const prefix = `${stemOf(videoName)}.`;
      const found: StoredSidecar[] = [];
      for (const name of await sidecarNames()) {
        if (!name.startsWith(prefix)) {
          continue;
        }
        const located = await directory.locate(name).catch(() => undefined);
        if (located !== undefined) {
          found.push({ name, etag: strongEtagOf(located.stats), size: located.stats.size });
        }
      }
      return found;
    },
    invalidate() {
      listing = undefined;
    },
    async read(name) {
      if (!isSidecarFilename(name)) {
        return undefined;
      }
      const located = await directory.locate(name);
      if (located === undefined || located.stats.size > MAX_SIDECAR_BYTES) {
        return undefined;
      }
      try {
        const text = await readFile(located.path, "utf8");
        return { etag: strongEtagOf(located.stats), text };
      } catch {
        return undefined; // removed since it was located
      }
    },
  };
}
