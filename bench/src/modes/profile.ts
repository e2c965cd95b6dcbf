/**
 * `--profile`: Reel under `node --cpu-prof` while W3 runs against it, then the functions and
 * packages with the most self time. The profile is written when Reel exits on SIGTERM.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ProfileSummary, parseCpuProfile, summariseProfile } from "../cpu-profile.js";
import type { Fixture } from "../fixture.js";
import { measure } from "../measure.js";
import type { Options } from "../options.js";
import { reelPeer } from "../peers/reel.js";
import { RESULTS_DIR, writeSection } from "../results-file.js";
import { WORKLOADS, type Workload, workloadById } from "../workloads.js";

/** Profiles Reel during W3 (or the first workload given with --workloads, W404 included). */
export async function runProfile(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const workload: Workload =
    options.workloads.length === WORKLOADS.length // no --workloads given
      ? workloadById("W3")
      : (options.workloads[0] ?? workloadById("W3"));
  const profileDir = join(fixture.scratch, "cpu-profile");
  mkdirSync(profileDir, { recursive: true });
  const running = await reelPeer.start({
    dir: fixture.dir,
    cpu: options.serverCpu,
    scratch: fixture.scratch,
    nodeFlags: ["--cpu-prof", "--cpu-prof-dir", profileDir],
  });
  let figure = "";
  try {
    log(`profiling Reel during ${workload.id} for ${options.durationSeconds} s`);
    const sample = await measure(running, "reel", workload, 0, {
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      clientCpu: options.clientCpu,
      fileSize: fixture.size,
      filename: fixture.filename,
    });
    figure = `${sample.value.toFixed(0)} ${workload.metric}, p99 ${sample.p99Ms.toFixed(1)} ms (slowed by the profiler)`;
  } finally {
    // V8 writes the profile while the process exits; a loaded machine may need many seconds.
    await running.stop(60_000);
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
  if (file === undefined) {
    throw new Error("Reel exited without writing a .cpuprofile");
  }
  const kept = `${RESULTS_DIR}reel-${workload.id}.cpuprofile`; // open it in Chrome DevTools
  mkdirSync(RESULTS_DIR, { recursive: true });
  copyFileSync(join(profileDir, file), kept);
  const summary = summariseProfile(parseCpuProfile(readFileSync(kept, "utf8")));
  const markdown = renderProfile(workload, figure, summary);
  console.log(markdown);
  const files = writeSection("profile", markdown, options.isQuick, {}, summary);
  log(`wrote ${files.join(", ")}, ${kept}`);
}

function renderProfile(workload: Workload, figure: string, summary: ProfileSummary): string {
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  return [
    `## CPU profile of Reel during ${workload.id} (${workload.title}, ${workload.connections} connections)`,
    "",
    `\`pnpm bench --profile\`: ${figure}. Busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms ` +
      "(start-up and warm-up included). Native fs bindings (`open`, `read`, `fstat`, `close`) with no file are " +
      "calls into libuv; on one pinned core their self time includes the thread-pool work they wake.",
    "",
    "| package / part | self ms | share of busy |",
    "|---|---|---|",
    ...summary.packages
      .slice(0, 12)
      .map((row) => `| ${row.name} | ${row.selfMs.toFixed(0)} | ${percent(row.share)} |`),
    "",
    "| function | self ms | share of busy |",
    "|---|---|---|",
    ...summary.functions.map(
      (row) => `| \`${row.name}\` | ${row.selfMs.toFixed(0)} | ${percent(row.share)} |`,
    ),
  ].join("\n");
}
