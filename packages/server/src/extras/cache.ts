/**
 * The extras cache on disk: `CACHE_DIR/<key>/` per video version, `key` = sha256 of the video's
 * ETag and name, holding `manifest.json` and the rendered files. An entry is rendered in a
 * `.tmp-*` directory and renamed into place with its manifest already written, so a crash never
 * leaves a half entry under a key: a restart finds either the whole entry or none (and removes
 * leftover `.tmp-*`). A failed render is an entry too (`status: "failed"`), so it is not retried.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const PlanSchema = z.object({
  intervalMs: z.number().int().positive(),
  tileCount: z.number().int().positive(),
  tileWidth: z.number().int().positive(),
  tileHeight: z.number().int().positive(),
  columns: z.number().int().positive(),
  rows: z.number().int().positive(),
  sheetCount: z.number().int().positive(),
  posterWidth: z.number().int().positive(),
  posterAtSeconds: z.number().nonnegative(),
});

/** What `manifest.json` holds (also sent to cluster workers). */
export const ManifestSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("ready"),
    name: z.string(),
    etag: z.string(),
    durationSeconds: z.number().positive(),
    plan: PlanSchema,
  }),
  z.object({
    status: z.literal("failed"),
    name: z.string(),
    etag: z.string(),
    reason: z.string(),
  }),
]);

/** What one cache entry records. */
export type Manifest = z.infer<typeof ManifestSchema>;

const MANIFEST = "manifest.json";
const KEY = /^[0-9a-f]{64}$/;
const TEMP_PREFIX = ".tmp-";

/**
 * The folder of one library's entries inside `CACHE_DIR`: `<CACHE_DIR>/<16 hex of sha256 of the
 * store's location>` (the video directory's real path, or `s3://bucket/prefix`). Pruning removes
 * the entries of videos a library no longer has, so libraries sharing one `CACHE_DIR` (two
 * instances on one machine, `npm start` beside `reel serve`) must never see each other's.
 */
export function libraryCacheDir(cacheDir: string, storeLocation: string): string {
  return join(cacheDir, createHash("sha256").update(storeLocation).digest("hex").slice(0, 16));
}

/** The key of a video version: the ETag changes with any new content, so a new key. */
export function cacheKeyOf(name: string, etag: string): string {
  return createHash("sha256").update(`${etag}\n${name}`).digest("hex");
}

/** The entries of one cache directory, known in memory after one read at start. */
export class ExtrasCache {
  private readonly entries = new Map<string, Manifest>();

  /**
   * Creates `dir` if needed, reads every manifest, removes unfinished and unreadable entries.
   * Synchronous: it runs once, at start, before the library's first scan.
   * @throws the file system's error when `dir` cannot be created or read.
   */
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (name.startsWith(TEMP_PREFIX)) {
        rmSync(join(dir, name), { recursive: true, force: true });
        continue;
      }
      if (!KEY.test(name)) {
        continue; // not ours: leave it alone
      }
      const manifest = readManifest(join(dir, name, MANIFEST));
      if (manifest === undefined || cacheKeyOf(manifest.name, manifest.etag) !== name) {
        rmSync(join(dir, name), { recursive: true, force: true });
      } else {
        this.entries.set(name, manifest);
      }
    }
  }

  /** The entry of this version, if rendered (or failed) before. */
  get(name: string, etag: string): Manifest | undefined {
    return this.entries.get(cacheKeyOf(name, etag));
  }

  /** Path of `file` inside the entry of this version. */
  pathOf(name: string, etag: string, file: string): string {
    return join(this.dir, cacheKeyOf(name, etag), file);
  }

  /** A new empty work directory inside the cache (same file system, so `commit` is a rename). */
  createWorkDir(): Promise<string> {
    return mkdtemp(join(this.dir, TEMP_PREFIX));
  }

  /** Writes `manifest` into `workDir` and renames it into place as the entry of its version. */
  async commit(workDir: string, manifest: Manifest): Promise<void> {
    await writeFile(join(workDir, MANIFEST), JSON.stringify(manifest));
    const key = cacheKeyOf(manifest.name, manifest.etag);
    const target = join(this.dir, key);
    await rm(target, { recursive: true, force: true });
    await rename(workDir, target);
    this.entries.set(key, manifest);
  }

  /** Removes a work directory that will not be committed. */
  async discard(workDir: string): Promise<void> {
    await rm(workDir, { recursive: true, force: true });
  }

  /** Removes every entry of `name` except the version `keepEtag` (none when `undefined`). */
  async forget(name: string, keepEtag?: string): Promise<void> {
    const doomed = [...this.entries]
      .filter(([, entry]) => entry.name === name && entry.etag !== keepEtag)
      .map(([key]) => key);
    await this.removeKeys(doomed);
  }

  /** Removes every entry whose version is not in `current` (videos gone or replaced). */
  async prune(current: Iterable<{ name: string; etag: string }>): Promise<number> {
    const keep = new Set<string>();
    for (const video of current) {
      keep.add(cacheKeyOf(video.name, video.etag));
    }
    const doomed = [...this.entries.keys()].filter((key) => !keep.has(key));
    await this.removeKeys(doomed);
    return doomed.length;
  }

  /** Entries known (ready and failed). */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets `keys` at once (synchronously), then removes their directories. */
  private async removeKeys(keys: string[]): Promise<void> {
    for (const key of keys) {
      this.entries.delete(key);
    }
    for (const key of keys) {
      await rm(join(this.dir, key), { recursive: true, force: true });
    }
  }
}

function readManifest(path: string): Manifest | undefined {
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
