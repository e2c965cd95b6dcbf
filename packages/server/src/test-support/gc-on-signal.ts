/**
 * Preloaded (`node --expose-gc --import`) into a server under a memory test: SIGUSR2 runs a full
 * garbage collection, so RSS read right after reflects what is retained, not V8's lazy growth.
 * With an IPC channel it then sends "collected", so the test reads RSS when the collection has
 * run rather than after a sleep that a busy machine may not honour.
 */
const collect = (globalThis as { gc?: () => void }).gc; // present only with --expose-gc
if (collect !== undefined) {
  process.on("SIGUSR2", () => {
    collect();
    process.send?.("collected");
  });
  // The channel must not keep the server alive once everything else has stopped.
  process.channel?.unref();
}
