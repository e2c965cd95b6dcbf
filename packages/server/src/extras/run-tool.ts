/**
 * Runs ffmpeg or ffprobe: arguments as an array (never a shell, so no name is ever parsed as
 * shell syntax), at the lowest CPU priority so streaming keeps the cores, killed after a timeout,
 * and with bounded output: stderr keeps its last `STDERR_TAIL_BYTES`, stdout (for ffprobe's JSON)
 * at most `STDOUT_MAX_BYTES`. What ffmpeg renders goes to files, never through this process.
 */
import { spawn } from "node:child_process";
import { setPriority } from "node:os";

const STDERR_TAIL_BYTES = 4096; // enough for ffmpeg's last error lines
const STDOUT_MAX_BYTES = 64 * 1024; // ffprobe's JSON of one file is ~1 KB
const LOWEST_PRIORITY = 19; // nice(1)'s weakest value: the kernel runs requests first

/** How one run ended. */
export interface ToolResult {
  /** Exit code, `null` when killed by a signal. */
  code: number | null;
  /** True when the run was killed after `timeoutMs`. */
  timedOut: boolean;
  /** Stdout when `captureStdout`, else `""` (at most `STDOUT_MAX_BYTES`). */
  stdout: string;
  /** The tail of stderr. */
  stderr: string;
}

/** Options of one run. */
export interface ToolRunOptions {
  /** Milliseconds before the process is killed (SIGKILL). */
  timeoutMs: number;
  /** Keep stdout (ffprobe); otherwise it is discarded. */
  captureStdout?: boolean;
  /** Kills the process when aborted (shutdown). */
  signal?: AbortSignal;
}

/** A run that did not exit 0. */
export class ToolError extends Error {
  override name = "ToolError";
  constructor(
    message: string,
    /** The run's result (exit code, timeout, stderr tail). */
    readonly result: ToolResult,
  ) {
    super(message);
  }
}

/**
 * Runs `command` with `args` and resolves with its result whatever the exit code.
 * @throws the spawn error (ENOENT, EACCES) when `command` cannot be started.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: ToolRunOptions,
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", options.captureStdout === true ? "pipe" : "ignore", "pipe"],
      windowsHide: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      if (stdout.length < STDOUT_MAX_BYTES) {
        stdout += chunk.slice(0, STDOUT_MAX_BYTES - stdout.length);
      }
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const kill = () => child.kill("SIGKILL");
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener("abort", kill, { once: true });
    child.once("spawn", () => {
      try {
        if (child.pid !== undefined) {
          setPriority(child.pid, LOWEST_PRIORITY);
        }
      } catch {
        // Not permitted on some platforms: it still runs, only at normal priority.
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", kill);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", kill);
      resolve({ code, timedOut, stdout, stderr: stderr.trim() });
    });
  });
}

/**
 * `runTool`, then a `ToolError` unless it exited 0.
 * @throws {ToolError} on a non-zero exit, a signal or a timeout; the spawn error as `runTool`.
 */
export async function runToolOrThrow(
  command: string,
  args: readonly string[],
  options: ToolRunOptions,
): Promise<ToolResult> {
  const result = await runTool(command, args, options);
  if (result.code !== 0) {
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : `exited with ${result.code ?? "a signal"}`;
    const detail = result.stderr.split("\n").slice(-3).join(" | ");
    throw new ToolError(`${command} ${why}${detail === "" ? "" : `: ${detail}`}`, result);
  }
  return result;
}
