/**
 * `pnpm bench`: the side-by-side benchmark (issue #7). Pins itself to the client core, makes the
 * fixture, runs the chosen mode, and guarantees that every child process is gone when it ends,
 * whether it finishes, fails, or is interrupted.
 */
import { spawnSync } from "node:child_process";
import { ensureServerBuilt } from "./build.js";
import { createFixture, type Fixture } from "./fixture.js";
import { runCompare } from "./modes/compare.js";
import { runExtras } from "./modes/extras.js";
import { runHttp2 } from "./modes/http2.js";
import { runObjectStore } from "./modes/object-store.js";
import { runProfile } from "./modes/profile.js";
import { runSoak } from "./modes/soak.js";
import { runSweep } from "./modes/sweep.js";
import { type Options, parseOptions, USAGE } from "./options.js";
import { killAllNow, markInterrupted, stopAll } from "./processes.js";

const log = (line: string) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
let fixture: Fixture | undefined;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  // The orchestrator shares the client's core, so the server's core stays the server's alone.
  spawnSync("taskset", ["-a", "-p", "-c", String(options.clientCpu), String(process.pid)], {
    stdio: "ignore",
  });
  ensureServerBuilt(options.build, log);
  log("writing the 64 MiB fixture");
  fixture = createFixture();
  await runMode(options, fixture);
}

function runMode(options: Options, served: Fixture): Promise<void> {
  switch (options.mode) {
    case "compare":
      return runCompare(options, served, log);
    case "http2":
      return runHttp2(options, served, log);
    case "object-store":
      return runObjectStore(options, served, log);
    case "extras":
      return runExtras(options, served, log);
    case "sweep":
      return runSweep(options, served, log);
    case "soak":
      return runSoak(options, served, log);
    case "profile":
      return runProfile(options, served, log);
  }
}

async function cleanUp(): Promise<void> {
  await stopAll();
  fixture?.remove();
  fixture = undefined;
}

process.on("exit", () => {
  killAllNow(); // last resort, synchronous: nothing may outlive the benchmark
  fixture?.remove();
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping every server and client`);
    markInterrupted(); // servers die under the running mode: its figures must not be written
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(cleanUp)
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    await cleanUp();
    process.exitCode = 1;
  });
