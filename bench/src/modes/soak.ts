/**
 * `--soak`: W3 at 256 connections against Reel for 10 minutes (wrk in 30 s segments), plus an
 * aborting client making ~10 % of all requests and cutting each off mid-body. RSS and open
 * descriptors are sampled every 30 s under load and once more after the load stops.
 */
import { startAborter } from "../aborter.js";
import type { Fixture } from "../fixture.js";
import { countFds, readRss } from "../memory.js";
import type { Options } from "../options.js";
import { selectPeers } from "../peers/index.js";
import { reelPeer } from "../peers/reel.js";
import { sleep } from "../processes.js";
import { machineTable } from "../report.js";
import { writeSection } from "../results-file.js";
import { collectSystemInfo } from "../system-info.js";
import { runWrk } from "../wrk.js";

const SEGMENT_SECONDS = 30;
const ABORT_SHARE = 0.1; // of all requests
const MAX_ABORTS = 2_000_000; // hard bound on the aborting client, whatever the rate
const RANGE_LENGTH = 10_000; // W3's ranges
const RSS_TOLERANCE = 0.1; // late RSS may exceed early RSS by 10 % before it counts as growth

interface Point {
  atSeconds: number;
  rssMB: number;
  fds: number;
}

/**
 * The aborting client cannot always keep up with wrk (each abort is a new connection, and a
 * saturated server answers those slower), so when aborts fall short of their share wrk is paced:
 * each connection pauses so that wrk's rate comes down to 9 × the abort rate. When aborts keep up
 * the pause is relaxed again. Halved steps damp the loop; the pause stays within 0–2000 ms.
 */
export function nextDelay(
  delayMs: number,
  wrkPerSecond: number,
  abortsPerSecond: number,
  connections: number,
): number {
  const wanted = (abortsPerSecond * (1 - ABORT_SHARE)) / ABORT_SHARE; // wrk req/s for the share
  if (wrkPerSecond <= 0 || wanted <= 0) {
    return delayMs;
  }
  // A connection's cycle is connections / rate seconds; move the pause by half the difference.
  const change = ((connections / wanted - connections / wrkPerSecond) * 1000) / 2;
  return Math.min(Math.max(delayMs + change, 0), 2000);
}

/** Runs the soak and writes its section. */
export async function runSoak(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const started = new Date();
  // Reel by default; `--peers nginx` soaks a peer instead, as a control for the harness itself.
  const peer =
    options.peerIds === undefined ? reelPeer : (selectPeers(options.peerIds)[0] ?? reelPeer);
  const running = await peer.start({
    dir: fixture.dir,
    cpu: options.serverCpu,
    scratch: fixture.scratch,
  });
  // Summed over the server's processes (nginx: master + worker), like the comparison's RSS.
  const sample = (atSeconds: number): Point => {
    const pids = running.pids();
    const rss = pids.reduce((total, pid) => total + readRss(pid), 0);
    const fds = pids.reduce((total, pid) => total + countFds(pid), 0);
    return { atSeconds, rssMB: rss / 1e6, fds };
  };
  const path = running.urlFor(fixture.filename);
  const totalSeconds = Math.round(options.soakMinutes * 60);
  const segments = Math.max(1, Math.round(totalSeconds / SEGMENT_SECONDS));
  const segmentSeconds = Math.max(1, Math.round(totalSeconds / segments));
  await sleep(1000);
  const baseline = sample(0);
  const points: Point[] = [];
  let wrkRequests = 0;
  let wrkErrors = 0;
  const errorKinds = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
  const wrkOptions = {
    url: `http://127.0.0.1:${running.port}${path}`,
    connections: options.soakConnections,
    fileSize: fixture.size,
    rangeLength: RANGE_LENGTH,
    cpu: options.clientCpu,
  };
  // A short uncounted run sets the first abort rate; after each segment it follows wrk's rate.
  const calibration = await runWrk({ ...wrkOptions, durationSeconds: 3 });
  const abortRate = (perSecond: number) => (perSecond * ABORT_SHARE) / (1 - ABORT_SHARE);
  const aborter = startAborter(
    running.port,
    path,
    fixture.size,
    abortRate(calibration.requestsPerSecond),
    MAX_ABORTS,
  );
  let delayMs = 0;
  let abortedBefore = 0;
  const clock = Date.now();
  try {
    for (let segment = 1; segment <= segments; segment++) {
      const sampler = setTimeout(
        () => points.push(sample(Math.round((Date.now() - clock) / 1000))),
        Math.max(segmentSeconds - 5, 1) * 1000, // under load, shortly before the segment ends
      );
      const result = await runWrk({
        ...wrkOptions,
        durationSeconds: segmentSeconds,
        delayMs,
      }).finally(() => clearTimeout(sampler));
      wrkRequests += result.requests;
      wrkErrors += result.errorCount;
      for (const kind of Object.keys(errorKinds) as (keyof typeof errorKinds)[]) {
        errorKinds[kind] += result.errors[kind]; // keys of the same literal object
      }
      const abortsPerSecond = (aborter.counts.aborted - abortedBefore) / segmentSeconds;
      abortedBefore = aborter.counts.aborted;
      delayMs = nextDelay(
        delayMs,
        result.requestsPerSecond,
        abortsPerSecond,
        options.soakConnections,
      );
      aborter.setRate(abortRate(result.requestsPerSecond));
      log(
        `soak ${segment}/${segments}: ${result.requestsPerSecond.toFixed(0)} req/s, ` +
          `${abortsPerSecond.toFixed(0)} aborts/s (next wrk pause ${delayMs.toFixed(0)} ms), ` +
          `errors wrk ${wrkErrors} / aborter ${aborter.counts.errors}, ` +
          `RSS ${points.at(-1)?.rssMB.toFixed(0) ?? "?"} MB, fds ${points.at(-1)?.fds ?? "?"}`,
      );
    }
  } finally {
    await aborter.stop();
  }
  await sleep(3000); // let closed sockets and streams settle
  const after = sample(Math.round((Date.now() - clock) / 1000));
  await running.stop();

  const early = points[Math.min(Math.max(Math.ceil(segments / 5) - 1, 0), points.length - 1)];
  const late = points.at(-1);
  const all = wrkRequests + aborter.counts.aborted;
  const verdict = {
    zeroErrors: wrkErrors === 0 && aborter.counts.errors === 0,
    rssFlat:
      early !== undefined && late !== undefined && late.rssMB <= early.rssMB * (1 + RSS_TOLERANCE),
    fdsBack: after.fds <= baseline.fds + 2,
  };
  const lines = [
    `## Soak${options.isQuick ? " (quick smoke run — not the 10-minute soak)" : ""}`,
    "",
    `Command: \`pnpm bench --soak${options.isQuick ? " --quick" : ""}\` · ${(totalSeconds / 60).toFixed(1)} min of W3 ` +
      `(random ${RANGE_LENGTH}-byte ranges) at ${options.soakConnections} connections against ${running.name}, plus an aborting ` +
      "client cutting open-ended `bytes=N-` requests off after their first body bytes.",
    "",
    machineTable(collectSystemInfo(started)),
    "",
    "| figure | value |",
    "|---|---|",
    `| wrk pause per request at the end | ${delayMs.toFixed(0)} ms (pacing that keeps aborts near ${ABORT_SHARE * 100} %) |`,
    `| wrk requests | ${wrkRequests} (${(wrkRequests / totalSeconds).toFixed(0)} req/s) |`,
    `| aborted mid-body | ${aborter.counts.aborted} (${all > 0 ? ((aborter.counts.aborted / all) * 100).toFixed(1) : "0"} % of all requests) |`,
    `| wrk errors | ${wrkErrors} (${JSON.stringify(errorKinds)}) |`,
    `| aborting client errors | ${aborter.counts.errors}${aborter.counts.examples.length > 0 ? ` (${aborter.counts.examples.join("; ")})` : ""} |`,
    `| baseline (idle, before) | RSS ${baseline.rssMB.toFixed(1)} MB, ${baseline.fds} fds |`,
    early
      ? `| early (t = ${early.atSeconds} s) | RSS ${early.rssMB.toFixed(1)} MB, ${early.fds} fds |`
      : "| early | n/a |",
    late
      ? `| late (t = ${late.atSeconds} s) | RSS ${late.rssMB.toFixed(1)} MB, ${late.fds} fds |`
      : "| late | n/a |",
    `| after (idle, 3 s after load) | RSS ${after.rssMB.toFixed(1)} MB, ${after.fds} fds |`,
    `| zero errors | ${verdict.zeroErrors ? "yes" : "**no**"} |`,
    `| RSS late ≤ early + ${RSS_TOLERANCE * 100} % | ${verdict.rssFlat ? "yes" : "**no**"} |`,
    `| fds back to baseline (± 2) after load | ${verdict.fdsBack ? "yes" : "**no**"} |`,
    "",
    "Samples (every 30 s, under load):",
    "",
    "| t (s) | RSS MB | open fds |",
    "|---|---|---|",
    ...points.map((p) => `| ${p.atSeconds} | ${p.rssMB.toFixed(1)} | ${p.fds} |`),
  ];
  const files = writeSection(
    "soak",
    lines.join("\n"),
    options.isQuick,
    {},
    {
      baseline,
      points,
      after,
      wrkRequests,
      wrkErrors,
      errorKinds,
      aborter: aborter.counts,
      verdict,
    },
  );
  log(`wrote ${files.join(", ")}`);
  if (!verdict.zeroErrors || !verdict.fdsBack) {
    process.exitCode = 1;
  }
}
