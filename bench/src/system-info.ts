/** The machine, tool and package versions a result was measured with. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { NGINX_BIN } from "./peers/nginx.js";
import { WRK_BIN } from "./wrk.js";

const BENCH_DIR = fileURLToPath(new URL("../", import.meta.url));
const PACKAGES = ["express", "send", "fastify", "@fastify/static", "koa", "@reel/server"];

/** Everything the report header lists. */
export interface SystemInfo {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  nginx: string;
  wrk: string;
  commit: string;
  packages: Record<string, string>;
  /** 1, 5 and 15 minute load averages when the facts were collected (the end of the run). */
  loadAverage: number[];
}

/** Collects the facts once, at the end of a run. */
export function collectSystemInfo(started: Date): SystemInfo {
  const cpuList = cpus();
  return {
    date: started.toISOString().replace(/\.\d+Z$/, "Z"),
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    nginx: firstLine(NGINX_BIN, ["-v"]).replace(/^nginx version:\s*/, ""),
    wrk: firstLine(WRK_BIN, ["-v"]).split(" ").slice(0, 2).join(" "),
    commit: gitCommit(),
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
    loadAverage: loadavg(),
  };
}

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n")[0] ?? "unknown";
}

function gitCommit(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], {
    cwd: BENCH_DIR,
    encoding: "utf8",
  });
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], {
    cwd: BENCH_DIR,
    encoding: "utf8",
  });
  const hash = head.stdout?.trim() || "unknown";
  return dirty.stdout?.trim() ? `${hash} (+ uncommitted changes)` : hash;
}

function packageVersion(name: string): string {
  try {
    const text = readFileSync(`${BENCH_DIR}node_modules/${name}/package.json`, "utf8");
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "version" in parsed) {
      return String(parsed.version);
    }
  } catch {
    // not installed
  }
  return "unknown";
}
