/**
 * The media extras of the library: a bounded background queue that renders each listed video's
 * poster and seek previews once per version (ETag) into the cache, and answers what is ready.
 * The library asks `artifactsOf` when it builds a `VideoInfo`, `request`s a render for every
 * video it lists, and is told through `onReady` when one is done (it then announces `changed`).
 * Without ffmpeg, or with `EXTRAS=off`, it is disabled: nothing runs and nothing is ready.
 */
import type { Logger } from "pino";
import {
  artifactsOf,
  type ExtrasArtifacts,
  posterFileOf,
  previewTrackOf,
  type ReadyManifest,
  sheetFileOf,
} from "./artifacts.js";
import { ExtrasCache } from "./cache.js";
import { renderExtras } from "./render.js";
import type { MediaTools, ToolLookup } from "./tools.js";

export type { ExtrasArtifacts };

/** Whether extras are made, and why not; `pending` counts renders queued or running. */
export interface ExtrasStatus {
  enabled: boolean;
  /** Why they are disabled; `null` when enabled. */
  reason: string | null;
  pending: number;
}

/**
 * The extras as the routes read them. `ExtrasRenderer` renders them; a cluster worker's
 * `FollowerExtras` (cluster/follower-extras.ts) knows what the primary rendered.
 */
export interface MediaExtras {
  /** Enabled or not (and why), and the renders still to do. */
  status(): ExtrasStatus;
  /** The WebVTT thumbnails track of this version, or `undefined` when it is not ready. */
  previewTrack(name: string, etag: string): string | undefined;
  /** The poster file of this version, or `undefined` when it is not ready. */
  posterFile(name: string, etag: string): string | undefined;
  /** Sheet `sheet` of this version, or `undefined` when not ready or out of range. */
  sheetFile(name: string, etag: string, sheet: number): string | undefined;
}

/** How to build the extras. */
export interface MediaExtrasOptions {
  /** The tools found at start, or why there are none (or why extras are turned off). */
  tools: ToolLookup;
  /** `CACHE_DIR`. */
  cacheDir: string;
  /** Renders at once (`EXTRAS_CONCURRENCY`). */
  concurrency: number;
  /** Milliseconds one ffmpeg/ffprobe run may take before it is killed (`EXTRAS_TIMEOUT_MS`). */
  timeoutMs: number;
  logger: Logger;
  /** `VideoStore.mediaSource`. */
  source(name: string): Promise<string | undefined>;
}

interface Job {
  name: string;
  etag: string;
}

/** Posters and seek previews, rendered in the background and cached on disk. */
export class ExtrasRenderer implements MediaExtras {
  /** Called once per rendered version (also when it failed): the library re-announces it. */
  onReady: (name: string, etag: string) => void = () => undefined;
  /** ffmpeg and ffprobe runs started so far (for tests and diagnostics). */
  runCount = 0;
  /**
   * Resolves once what `onReady` caused has reached whoever it is forwarded to (the cluster's
   * workers); `whenIdle` waits for it too.
   */
  whenDelivered: () => Promise<void> = () => Promise.resolve();

  private readonly tools: MediaTools | undefined;
  private readonly cache: ExtrasCache | undefined;
  private readonly reason: string | null;
  private readonly queue: Job[] = [];
  private readonly queued = new Set<string>();
  /** The newest version requested per name: a render of an older one is dropped when done. */
  private readonly latest = new Map<string, string>();
  private readonly abort = new AbortController();
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: MediaExtrasOptions) {
    let reason = options.tools.found ? null : options.tools.reason;
    let cache: ExtrasCache | undefined;
    if (options.tools.found) {
      try {
        cache = new ExtrasCache(options.cacheDir);
      } catch (error: unknown) {
        reason = `CACHE_DIR ${options.cacheDir} cannot be used (${String(error)})`;
      }
    }
    this.reason = reason;
    this.cache = reason === null ? cache : undefined;
    this.tools = this.cache !== undefined && options.tools.found ? options.tools.tools : undefined;
  }

  /** Enabled or not (and why), and the renders still to do. */
  status(): ExtrasStatus {
    return {
      enabled: this.cache !== undefined,
      reason: this.reason,
      pending: this.queue.length + this.running,
    };
  }

  /** The poster and previews paths of this version: `null` until rendered, when failed or off. */
  artifactsOf(name: string, etag: string): ExtrasArtifacts {
    return artifactsOf(this.readyManifest(name, etag));
  }

  /** The manifest of this version when it is rendered, else `undefined`. */
  readyManifest(name: string, etag: string): ReadyManifest | undefined {
    const entry = this.cache?.get(name, etag);
    return entry?.status === "ready" ? entry : undefined;
  }

  /** The cache folder of this library (where `posterFile` and `sheetFile` point into). */
  get cacheDir(): string {
    return this.options.cacheDir;
  }

  /** Queues a render of this version unless it is cached (rendered or failed) or queued. */
  request(name: string, etag: string): void {
    const cache = this.cache;
    if (cache === undefined) {
      return;
    }
    const previous = this.latest.get(name);
    this.latest.set(name, etag);
    if (previous !== undefined && previous !== etag) {
      this.drop(name, etag);
    }
    const key = `${etag}\n${name}`;
    if (cache.get(name, etag) !== undefined || this.queued.has(key)) {
      return;
    }
    this.queued.add(key);
    this.queue.push({ name, etag });
    this.pump();
  }

  /** The video `name` is gone: drop its queued render and its cached entries. */
  forget(name: string): void {
    this.latest.delete(name);
    this.drop(name, undefined);
  }

  /**
   * Removes cached entries of videos not in `current` (gone, or replaced while Reel was down).
   * Call it with the complete listing.
   */
  async prune(current: Iterable<{ name: string; etag: string }>): Promise<void> {
    const removed = (await this.cache?.prune(current)) ?? 0;
    if (removed > 0) {
      this.options.logger.info({ removed }, "pruned extras of videos that are gone");
    }
  }

  /** The WebVTT thumbnails track of this version, or `undefined` when it is not ready. */
  previewTrack(name: string, etag: string): string | undefined {
    const manifest = this.readyManifest(name, etag);
    return manifest === undefined ? undefined : previewTrackOf(manifest);
  }

  /** The poster file of this version, or `undefined` when it is not ready. */
  posterFile(name: string, etag: string): string | undefined {
    const manifest = this.readyManifest(name, etag);
    return manifest === undefined ? undefined : posterFileOf(this.options.cacheDir, manifest);
  }

  /** Sheet `sheet` of this version, or `undefined` when not ready or out of range. */
  sheetFile(name: string, etag: string, sheet: number): string | undefined {
    const manifest = this.readyManifest(name, etag);
    return manifest === undefined ? undefined : sheetFileOf(this.options.cacheDir, manifest, sheet);
  }

  /**
   * Resolves once nothing is queued or running (now, if nothing is), and what the last renders
   * changed has been delivered (`whenDelivered`).
   */
  async whenIdle(): Promise<void> {
    if (this.queue.length > 0 || this.running > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await this.whenDelivered();
  }

  /** Kills running renders (their work is discarded, not marked failed) and stops the queue. */
  close(): void {
    this.abort.abort();
    this.queue.length = 0;
    this.queued.clear();
    this.notifyIfIdle();
  }

  /** Removes queued renders and cached entries of `name` other than `keepEtag`. */
  private drop(name: string, keepEtag: string | undefined): void {
    for (let index = this.queue.length - 1; index >= 0; index--) {
      const job = this.queue[index];
      if (job !== undefined && job.name === name && job.etag !== keepEtag) {
        this.queue.splice(index, 1);
        this.queued.delete(`${job.etag}\n${job.name}`);
      }
    }
    this.cache?.forget(name, keepEtag).catch((error: unknown) => {
      this.options.logger.warn({ err: error, filename: name }, "could not remove old extras");
    });
    this.notifyIfIdle();
  }

  private pump(): void {
    while (this.running < this.options.concurrency && !this.abort.signal.aborted) {
      const job = this.queue.shift();
      if (job === undefined) {
        break;
      }
      this.running += 1;
      void this.render(job).finally(() => {
        this.running -= 1;
        this.queued.delete(`${job.etag}\n${job.name}`);
        this.pump();
        this.notifyIfIdle();
      });
    }
  }

  private async render(job: Job): Promise<void> {
    const { cache, tools } = this;
    if (cache === undefined || tools === undefined) {
      return;
    }
    const { logger } = this.options;
    let workDir: string | undefined;
    try {
      const input = await this.options.source(job.name);
      if (input === undefined) {
        return; // gone meanwhile
      }
      workDir = await cache.createWorkDir();
      const dir = workDir;
      let manifest: Parameters<ExtrasCache["commit"]>[1];
      try {
        const started = Date.now();
        const rendered = await renderExtras({
          tools,
          input,
          workDir: dir,
          timeoutMs: this.options.timeoutMs,
          signal: this.abort.signal,
          onRun: () => {
            this.runCount += 1;
          },
        });
        manifest = { status: "ready", name: job.name, etag: job.etag, ...rendered };
        logger.info({ filename: job.name, ms: Date.now() - started }, "extras rendered");
      } catch (error: unknown) {
        if (this.abort.signal.aborted) {
          await cache.discard(dir); // shut down mid-render: not the video's fault
          return;
        }
        // ffmpeg's message may quote its input: drop query strings, so a presigned URL's
        // signature never reaches the log or the manifest.
        const reason = (error instanceof Error ? error.message : String(error)).replace(
          /\?[^\s'"]*/g,
          "?…",
        );
        // Recorded, so it is not tried again until the video changes (a new ETag).
        logger.warn({ filename: job.name, reason }, "extras failed; the video is served as is");
        manifest = { status: "failed", name: job.name, etag: job.etag, reason };
      }
      await cache.commit(dir, manifest);
      workDir = undefined;
      if (this.latest.get(job.name) !== job.etag) {
        await cache.forget(job.name, this.latest.get(job.name)); // replaced or removed meanwhile
        return;
      }
      this.onReady(job.name, job.etag);
    } catch (error: unknown) {
      logger.error({ err: error, filename: job.name }, "extras render could not be stored");
      if (workDir !== undefined) {
        await cache.discard(workDir).catch(() => undefined);
      }
    }
  }

  private notifyIfIdle(): void {
    if (this.queue.length === 0 && this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) {
        resolve();
      }
    }
  }
}
