/**
 * Byte-exactness before timing: each server's answers to a few Range requests are compared with
 * the file itself. "Core" checks cover the request shapes the workloads send; a server failing
 * one is not timed. A check that gates one workload (a missing file must be a 404 before W404
 * is timed) keeps only that workload off; other checks (suffix, open-ended, end past EOF) are
 * reported as marks.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { request } from "node:http";
import type { Fixture } from "./fixture.js";
import type { RunningPeer } from "./peers/types.js";
import { MISSING_FILE_NAME, type Workload } from "./workloads.js";

/** One check's outcome. */
export interface CheckResult {
  name: string;
  core: boolean;
  /** The workload that is not timed when this check fails. */
  gates?: Workload["id"];
  ok: boolean;
  /** What was wrong, when not ok. */
  problem?: string;
}

/** All checks for one server. */
export interface Verification {
  checks: CheckResult[];
  /** Every core check passed: the server may be timed and ranked. */
  isRankable: boolean;
}

interface Check {
  name: string;
  core: boolean;
  gates?: Workload["id"];
  /** Ask for a file that does not exist: the answer must be 404, nothing else is checked. */
  isMissing?: true;
  range?: string;
  /** Expected inclusive byte span, or undefined for the whole file with 200. */
  span?: [number, number];
}

function checksFor(size: number): Check[] {
  const mid = Math.floor(size / 3) + 7; // not aligned to any chunk or page size
  return [
    { name: "whole file (200)", core: true },
    {
      name: "bytes=a-b, 10 KB",
      core: true,
      range: `bytes=${mid}-${mid + 9_999}`,
      span: [mid, mid + 9_999],
    },
    {
      name: "bytes=a-b, 1 MiB",
      core: true,
      range: `bytes=${mid}-${mid + 1_048_575}`,
      span: [mid, mid + 1_048_575],
    },
    { name: "first byte bytes=0-0", core: true, range: "bytes=0-0", span: [0, 0] },
    {
      name: "open-ended bytes=a-",
      core: false,
      range: `bytes=${size - 12_345}-`,
      span: [size - 12_345, size - 1],
    },
    { name: "suffix bytes=-n", core: false, range: "bytes=-500", span: [size - 500, size - 1] },
    {
      name: "end past EOF (clamped)",
      core: false,
      range: `bytes=${size - 10}-${size + 1000}`,
      span: [size - 10, size - 1],
    },
    { name: "missing file (404)", core: false, gates: "W404", isMissing: true },
  ];
}

/** Whether `verification` lets the server be timed on `workload` (no failed gate for it). */
export function isTimedOn(verification: Verification, workload: Workload["id"]): boolean {
  return (
    verification.isRankable &&
    verification.checks.every((check) => check.ok || check.gates !== workload)
  );
}

/**
 * Runs the checks against `peer`; a check that gates a workload only when that workload is in
 * `timed` (the object store's rows never ask for a missing file, and its gateway says 403).
 */
export async function verifyPeer(
  peer: RunningPeer,
  fixture: Fixture,
  timed: readonly Workload["id"][] = [],
): Promise<Verification> {
  const checks: CheckResult[] = [];
  const wanted = checksFor(fixture.size).filter(
    (check) => check.gates === undefined || timed.includes(check.gates),
  );
  for (const check of wanted) {
    const problem = await runCheck(peer, fixture, check).catch(
      (error: unknown) => `request failed: ${String(error)}`,
    );
    checks.push({
      name: check.name,
      core: check.core,
      ...(check.gates === undefined ? {} : { gates: check.gates }),
      ok: problem === undefined,
      ...(problem ? { problem } : {}),
    });
  }
  return { checks, isRankable: checks.every((check) => check.ok || !check.core) };
}

async function runCheck(
  peer: RunningPeer,
  fixture: Fixture,
  check: Check,
): Promise<string | undefined> {
  if (check.isMissing) {
    const answer = await get(peer.port, peer.urlFor(MISSING_FILE_NAME), undefined);
    return answer.status === 404 ? undefined : `status ${answer.status}, expected 404`;
  }
  const answer = await get(peer.port, peer.urlFor(fixture.filename), check.range);
  const [start, end] = check.span ?? [0, fixture.size - 1];
  const expectedStatus = check.span === undefined ? 200 : 206;
  if (answer.status !== expectedStatus) {
    return `status ${answer.status}, expected ${expectedStatus}`;
  }
  if (check.span !== undefined) {
    const expected = `bytes ${start}-${end}/${fixture.size}`;
    if (answer.contentRange !== expected) {
      return `Content-Range ${JSON.stringify(answer.contentRange)}, expected "${expected}"`;
    }
  }
  if (answer.length !== end - start + 1) {
    return `${answer.length} body bytes, expected ${end - start + 1}`;
  }
  if (answer.sha256 !== hashFileSpan(fixture.path, start, end)) {
    return "body bytes differ from the file";
  }
  return undefined;
}

interface Answer {
  status: number;
  contentRange: string | undefined;
  length: number;
  sha256: string;
}

function get(port: number, path: string, range: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, agent: false, headers: range ? { Range: range } : {} },
      (res) => {
        const hash = createHash("sha256");
        let length = 0;
        res.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          length += chunk.length;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentRange: res.headers["content-range"],
            length,
            sha256: hash.digest("hex"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

function hashFileSpan(path: string, start: number, end: number): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (let at = start; at <= end; ) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, end - at + 1), at);
      if (read === 0) {
        break;
      }
      hash.update(buffer.subarray(0, read));
      at += read;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
