/**
 * The files and tracks of one rendered version, from its manifest: where the poster and sheets
 * lie in the cache, and the previews track pointing at them. No rendering and no cache reads, so
 * a cluster worker answers the extras routes with this alone (cluster/follower-extras.ts).
 */
import { join } from "node:path";
import { cacheKeyOf, type Manifest } from "./cache.js";
import { writePreviewTrack } from "./plan.js";
import { posterPathOf, previewsPathOf, sheetPathOf } from "./urls.js";

/** The manifest of a version whose extras are rendered. */
export type ReadyManifest = Extract<Manifest, { status: "ready" }>;

/** The `VideoInfo` fields the extras fill. */
export interface ExtrasArtifacts {
  poster: string | null;
  previews: string | null;
}

/** The poster's file name inside an entry. */
export const POSTER_FILE = "poster.jpg";
/** The sheet `n` of an entry: `sheet-0.jpg`, `sheet-1.jpg`, … */
export const sheetFile = (sheet: number): string => `sheet-${sheet}.jpg`;

const NOTHING: ExtrasArtifacts = { poster: null, previews: null };

/** The URL paths a version's `VideoInfo` carries: `null` while it is not rendered. */
export function artifactsOf(manifest: ReadyManifest | undefined): ExtrasArtifacts {
  return manifest === undefined
    ? NOTHING
    : { poster: posterPathOf(manifest.name), previews: previewsPathOf(manifest.name) };
}

/** The WebVTT thumbnails track of a rendered version. */
export function previewTrackOf(manifest: ReadyManifest): string {
  return writePreviewTrack(manifest.plan, manifest.durationSeconds, (sheet) =>
    sheetPathOf(manifest.name, sheet),
  );
}

/** The poster file of a rendered version in the cache folder `dir`. */
export function posterFileOf(dir: string, manifest: ReadyManifest): string {
  return join(dir, cacheKeyOf(manifest.name, manifest.etag), POSTER_FILE);
}

/** Sheet `sheet` of a rendered version in `dir`, or `undefined` when out of range. */
export function sheetFileOf(
  dir: string,
  manifest: ReadyManifest,
  sheet: number,
): string | undefined {
  return sheet < manifest.plan.sheetCount
    ? join(dir, cacheKeyOf(manifest.name, manifest.etag), sheetFile(sheet))
    : undefined;
}
