/**
 * The soak's aborting client: asks open-ended `bytes=N-` ranges, as Chromium does, and destroys
 * the connection as soon as the first body bytes arrive, so the server is always cut off
 * mid-body. Its rate is set from outside (a share of wrk's rate) and bounded in count.
 */
import { request } from "node:http";

/** Counts kept by the aborter. */
export interface AbortCounts {
  /** Requests cut off after the first body bytes (the intended case). */
  aborted: number;
  /** Anything else: refused connections, resets before the body, statuses other than 206. */
  errors: number;
  /** First few error descriptions, for the report. */
  examples: string[];
}

/** A running aborter. */
export interface Aborter {
  counts: AbortCounts;
  /** Requests per second to aim for from now on. */
  setRate: (perSecond: number) => void;
  stop: () => Promise<void>;
}

const MAX_IN_FLIGHT = 64; // more only piles up connections that a saturated server answers late
const TICK_MS = 10;

/** Starts aborting requests against `port` + `path` at `perSecond`, at most `maxRequests`. */
export function startAborter(
  port: number,
  path: string,
  fileSize: number,
  perSecond: number,
  maxRequests: number,
): Aborter {
  const counts: AbortCounts = { aborted: 0, errors: 0, examples: [] };
  const pending = new Set<Promise<void>>();
  let rate = perSecond;
  let due = 0; // requests owed by the schedule so far (fractional)
  let started = 0;
  let last = performance.now();

  const launch = () => {
    started += 1;
    const one = abortOne(port, path, fileSize).then((outcome) => {
      if (outcome === "aborted") {
        counts.aborted += 1;
      } else {
        counts.errors += 1;
        if (counts.examples.length < 5) {
          counts.examples.push(outcome);
        }
      }
      pending.delete(one);
    });
    pending.add(one);
  };
  // One timer paces every request, instead of one polling loop per slot.
  const timer = setInterval(() => {
    const now = performance.now();
    // Owed requests that cannot start (all slots busy) are dropped, not saved up for a burst.
    due = Math.min(due + ((now - last) / 1000) * rate, MAX_IN_FLIGHT);
    last = now;
    while (due >= 1 && pending.size < MAX_IN_FLIGHT && started < maxRequests) {
      due -= 1;
      launch();
    }
  }, TICK_MS);
  return {
    counts,
    setRate: (perSecondNow) => {
      rate = Math.max(perSecondNow, 1);
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
    },
  };
}

function abortOne(port: number, path: string, fileSize: number): Promise<string> {
  // Start in the first half, so the remaining body is megabytes: the cut is always mid-body.
  const start = Math.floor(Math.random() * (fileSize / 2));
  return new Promise((resolve) => {
    let isDone = false;
    const finish = (outcome: string) => {
      if (!isDone) {
        isDone = true;
        resolve(outcome);
      }
    };
    const req = request(
      { host: "127.0.0.1", port, path, agent: false, headers: { Range: `bytes=${start}-` } },
      (res) => {
        if (res.statusCode !== 206) {
          finish(`status ${res.statusCode}`);
          req.destroy();
          return;
        }
        res.once("data", () => {
          req.destroy(); // the abort: the socket closes with most of the body unsent
          finish("aborted");
        });
        res.once("end", () => finish("body ended before the abort"));
      },
    );
    req.setTimeout(10_000, () => {
      req.destroy();
      finish("timed out");
    });
    req.on("error", (error) => finish(`request error: ${error.message}`));
    req.end();
  });
}
