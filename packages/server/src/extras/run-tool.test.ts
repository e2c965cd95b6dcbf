import { describe, expect, it } from "vitest";
import { runTool, runToolOrThrow } from "./run-tool.js";

const node = process.execPath;

describe("runTool", () => {
  it("passes arguments as they are, without a shell", async () => {
    const args = [
      "-e",
      "process.stdout.write(JSON.stringify(process.argv.slice(1)))",
      "$(id)",
      "a b",
      "-x",
      "'\"",
    ];
    const result = await runTool(node, args, { timeoutMs: 10_000, captureStdout: true });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(["$(id)", "a b", "-x", "'\""]);
  });

  it("runs the tool at the lowest priority", async () => {
    const result = await runTool(
      node,
      ["-e", "setTimeout(() => process.stdout.write(String(require('os').getPriority())), 50)"],
      { timeoutMs: 10_000, captureStdout: true },
    );
    expect(result.stdout).toBe("19");
  });

  it("kills a run after its timeout and says so", async () => {
    const started = Date.now();
    const run = runToolOrThrow(node, ["-e", "setTimeout(() => {}, 60_000)"], { timeoutMs: 100 });
    await expect(run).rejects.toThrow(/timed out after 100 ms/);
    expect(Date.now() - started).toBeLessThan(20_000); // the run would take 60 s
  });

  it("keeps only the tail of a long stderr", async () => {
    const result = await runTool(
      node,
      ["-e", "process.stderr.write('x'.repeat(1_000_000) + 'END'); process.exitCode = 3"],
      { timeoutMs: 10_000 },
    );
    expect(result.code).toBe(3);
    expect(result.stderr.length).toBeLessThanOrEqual(4096);
    expect(result.stderr.endsWith("END")).toBe(true);
  });

  it("rejects when the tool cannot be started", async () => {
    await expect(runTool("/nonexistent/ffmpeg", [], { timeoutMs: 1000 })).rejects.toThrow(/ENOENT/);
  });
});
