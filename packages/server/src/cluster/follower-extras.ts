/**
 * A cluster worker's extras: what the primary rendered, known from its messages. It answers the
 * extras routes from the shared cache folder and never renders (no ffmpeg in a worker).
 */
import {
  posterFileOf,
  previewTrackOf,
  type ReadyManifest,
  sheetFileOf,
} from "../extras/artifacts.js";
import type { ExtrasStatus, MediaExtras } from "../extras/media-extras.js";

/** The primary's rendered extras, mirrored. */
export class FollowerExtras implements MediaExtras {
  /** The rendered version of each video that has one in the catalogue. */
  private readonly rendered = new Map<string, ReadyManifest>();
  private current: ExtrasStatus;

  /** `dir`: this library's folder in `CACHE_DIR` (extras/cache.ts `libraryCacheDir`). */
  constructor(
    private readonly dir: string,
    status: ExtrasStatus,
  ) {
    this.current = status;
  }

  /** The catalogue's version of `name` is rendered as `manifest`, or not rendered (`undefined`). */
  apply(name: string, manifest: ReadyManifest | undefined): void {
    if (manifest === undefined) {
      this.rendered.delete(name);
    } else {
      this.rendered.set(name, manifest);
    }
  }

  /** Forgets every rendered version (the whole catalogue is about to be sent again). */
  clear(): void {
    this.rendered.clear();
  }

  /** The primary's status now. */
  setStatus(status: ExtrasStatus): void {
    this.current = status;
  }

  status(): ExtrasStatus {
    return { ...this.current };
  }

  previewTrack(name: string, etag: string): string | undefined {
    const manifest = this.manifestOf(name, etag);
    return manifest === undefined ? undefined : previewTrackOf(manifest);
  }

  posterFile(name: string, etag: string): string | undefined {
    const manifest = this.manifestOf(name, etag);
    return manifest === undefined ? undefined : posterFileOf(this.dir, manifest);
  }

  sheetFile(name: string, etag: string, sheet: number): string | undefined {
    const manifest = this.manifestOf(name, etag);
    return manifest === undefined ? undefined : sheetFileOf(this.dir, manifest, sheet);
  }

  private manifestOf(name: string, etag: string): ReadyManifest | undefined {
    const manifest = this.rendered.get(name);
    return manifest?.etag === etag ? manifest : undefined;
  }
}
