/**
 * Preloaded (`node --expose-gc --import`) into a server under a memory test: SIGUSR2 runs a full
 * garbage collection, so RSS read right after reflects what is retained, not V8's lazy growth.
 */
const collect = (globalThis as { gc?: () => void }).gc; // present only with --expose-gc
if (collect !== undefined) {
  process.on("SIGUSR2", () => {
    collect();
  });
}
