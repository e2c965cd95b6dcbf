// An in-process stand-in for `navigator.locks` (Node 20 and jsdom have none), with the semantics
// the relay relies on: exclusive locks granted in request order, always asynchronously; a lock
// is held until its callback's promise settles; aborting a waiting request rejects it with an
// AbortError. Each tab of a unit test shares one instance, as tabs share one browser.
import type { LockManagerLike } from "../features/library/live-relay";

interface Waiter {
  callback: () => Promise<void>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The lock manager plus a way to see who holds what. */
export interface MemoryLocks extends LockManagerLike {
  /** How many requests for `name` are waiting (the holder not counted). */
  waiting(name: string): number;
}

/** Creates an empty lock manager. */
export function createMemoryLocks(): MemoryLocks {
  const queues = new Map<string, Waiter[]>();
  const held = new Set<string>();

  const grantNext = (name: string) => {
    if (held.has(name)) {
      return;
    }
    const next = queues.get(name)?.shift();
    if (!next) {
      return;
    }
    held.add(name);
    next.callback().then(
      (value) => next.resolve(value),
      (error: unknown) => next.reject(error),
    );
  };

  return {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const { signal } = options;
        if (signal?.aborted) {
          reject(new DOMException("The lock request was aborted", "AbortError"));
          return;
        }
        const waiter: Waiter = {
          callback: async () => {
            signal?.removeEventListener("abort", onAbort);
            try {
              await callback();
            } finally {
              held.delete(name);
              setTimeout(() => grantNext(name));
            }
          },
          resolve,
          reject,
        };
        const onAbort = () => {
          const queue = queues.get(name) ?? [];
          const index = queue.indexOf(waiter);
          if (index !== -1) {
            queue.splice(index, 1);
            reject(new DOMException("The lock request was aborted", "AbortError"));
          }
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        const queue = queues.get(name) ?? [];
        queue.push(waiter);
        queues.set(name, queue);
        setTimeout(() => grantNext(name));
      });
    },
    waiting: (name) => queues.get(name)?.length ?? 0,
  };
}
