/**
 * The HTTP/2 rows: W3 (10,000-byte ranges, 64 requests in flight) against Reel and nginx over
 * HTTPS, driven by h2load, once as HTTP/1.1 over TLS (64 connections × 1 request) and once as
 * HTTP/2 the way a browser uses it (1 connection × 64 streams). Both rows use the same TLS, the
 * same load generator and the same fixed range, so they compare protocols, not tools; the plain
 * HTTP W3 of the comparison (wrk, random ranges) stays the reference for TLS's cost.
 */
import { randomInt } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { connect } from "node:http2";
import { request } from "node:https";
import type { Fixture } from "../fixture.js";
import { type H2loadResult, runH2load } from "../h2load.js";
import { PeakRssSampler } from "../memory.js";
import type { Options } from "../options.js";
import { selectPeers } from "../peers/index.js";
import type { PeerDefinition, RunningPeer } from "../peers/types.js";
import { machineTable } from "../report.js";
import { writeSection } from "../results-file.js";
import { median } from "../stats.js";
import { collectSystemInfo, type SystemInfo } from "../system-info.js";
import { type Certificate, createCertificate } from "../tls.js";
import { workloadById } from "../workloads.js";

/** How the 64 requests in flight travel. */
export interface Shape {
  id: "https1" | "h2";
  label: string;
  protocol: "h2" | "http/1.1";
  connections: number;
  streams: number;
}

/** The two rows per server. */
export const SHAPES: Shape[] = [
  {
    id: "https1",
    label: "HTTP/1.1 over TLS, 64 connections × 1",
    protocol: "http/1.1",
    connections: 64,
    streams: 1,
  },
  {
    id: "h2",
    label: "HTTP/2, 1 connection × 64 streams",
    protocol: "h2",
    connections: 1,
    streams: 64,
  },
];

/** One timed run. */
export interface Http2Sample {
  peerId: string;
  shape: Shape["id"];
  round: number;
  result: H2loadResult;
  peakRssBytes: number;
}

/** The servers that speak HTTP/2 here. */
const HTTP2_PEERS = new Set(["reel", "nginx"]);

/** Runs the HTTP/2 rows when W3 and Reel or nginx are selected; writes the `http2` section. */
export async function runHttp2(
  options: Options,
  fixture: Fixture,
  log: (line: string) => void,
): Promise<void> {
  const peers = selectPeers(options.peerIds).filter((peer) => HTTP2_PEERS.has(peer.id));
  if (peers.length === 0 || !options.workloads.some((workload) => workload.id === "W3")) {
    return;
  }
  const started = new Date();
  const certificate = createCertificate(fixture.scratch);
  const length = workloadById("W3").rangeLength;
  const start = randomInt(0, fixture.size - length);
  const range = { start, end: start + length - 1 };
  const samples: Http2Sample[] = [];
  const wrong = new Map<string, string>();
  for (let round = 0; round < options.rounds; round++) {
    for (const peer of rotate(peers, round)) {
      if (wrong.has(peer.id)) {
        continue;
      }
      log(`HTTP/2 round ${round + 1}/${options.rounds}: ${peer.name}`);
      const running = await peer.start({
        dir: fixture.dir,
        cpu: options.serverCpu,
        scratch: fixture.scratch,
        tls: certificate,
      });
      try {
        const problem = await verifyOverTls(running, fixture, certificate, range);
        if (problem !== undefined) {
          wrong.set(peer.id, problem);
          log(`  ✗ ${problem} (not timed)`);
          continue;
        }
        for (const shape of SHAPES) {
          const sample = await measureShape(running, peer.id, shape, round, {
            options,
            fixture,
            range: `bytes=${range.start}-${range.end}`,
          });
          samples.push(sample);
          log(
            `  ${shape.label}: ${sample.result.requestsPerSecond.toFixed(0)} req/s, ` +
              `mean ${sample.result.meanLatencyMs.toFixed(1)} ms` +
              (sample.result.errors > 0 ? `, ${sample.result.errors} errors` : ""),
          );
        }
      } finally {
        await running.stop();
      }
    }
  }
  const markdown = renderHttp2(peers, samples, wrong, {
    options,
    system: collectSystemInfo(started),
    range: `bytes=${range.start}-${range.end}`,
  });
  const files = writeSection("http2", markdown, options.isQuick, {}, { samples, range });
  log(`wrote ${files.join(", ")}`);
}

async function measureShape(
  running: RunningPeer,
  peerId: string,
  shape: Shape,
  round: number,
  context: { options: Options; fixture: Fixture; range: string },
): Promise<Http2Sample> {
  const { options, fixture, range } = context;
  const run = {
    url: `https://127.0.0.1:${running.port}${running.urlFor(fixture.filename)}`,
    protocol: shape.protocol,
    connections: shape.connections,
    streams: shape.streams,
    range,
    cpu: options.clientCpu,
  };
  if (options.warmupSeconds > 0) {
    await runH2load({ ...run, durationSeconds: options.warmupSeconds });
  }
  const sampler = new PeakRssSampler(running.pids);
  sampler.start();
  let peakRssBytes = 0;
  let result: H2loadResult;
  try {
    result = await runH2load({ ...run, durationSeconds: options.durationSeconds });
  } finally {
    peakRssBytes = sampler.stop();
  }
  return { peerId, shape: shape.id, round, result, peakRssBytes };
}

/**
 * The timed range over HTTP/2 and over HTTP/1.1 with TLS must be 206 with the file's bytes;
 * returns what is wrong, or undefined.
 */
async function verifyOverTls(
  running: RunningPeer,
  fixture: Fixture,
  certificate: Certificate,
  range: { start: number; end: number },
): Promise<string | undefined> {
  const url = `https://127.0.0.1:${running.port}${running.urlFor(fixture.filename)}`;
  const header = `bytes=${range.start}-${range.end}`;
  const expected = readRange(fixture.path, range.start, range.end - range.start + 1);
  const answers = {
    h2: await getOverHttp2(url, header, certificate.ca),
    "http/1.1": await getOverHttps(url, header, certificate.ca),
  };
  for (const [protocol, answer] of Object.entries(answers)) {
    if (answer.status !== 206 || !answer.body.equals(expected)) {
      return `${protocol} ${header}: status ${answer.status}, ${answer.body.length} bytes, not the file's`;
    }
  }
  return undefined;
}

interface Answer {
  status: number;
  body: Buffer;
}

function getOverHttp2(url: string, range: string, ca: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const session = connect(target.origin, { ca });
    session.once("error", reject);
    const stream = session.request({ ":path": target.pathname, range });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on("response", (headers) => {
      status = Number(headers[":status"]);
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      session.close();
      resolve({ status, body: Buffer.concat(chunks) });
    });
    stream.on("error", reject);
    stream.end();
  });
}

function getOverHttps(url: string, range: string, ca: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { range }, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function readRange(path: string, start: number, length: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, start);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** The markdown of the `http2` section: medians per server × shape, and the ratios. */
export function renderHttp2(
  peers: PeerDefinition[],
  samples: Http2Sample[],
  wrong: Map<string, string>,
  context: { options: Options; system: SystemInfo; range: string },
): string {
  const { options, system, range } = context;
  const lines = [
    `## HTTP/2 (W3 over HTTPS)${options.isQuick ? " (quick smoke run — not a measurement)" : ""}`,
    "",
    `Command: \`pnpm bench${options.isQuick ? " --quick" : ""}\` (or \`--http2\` for these rows alone) · ` +
      `${options.rounds} interleaved round(s) · ${options.warmupSeconds} s warm-up + ` +
      `${options.durationSeconds} s per row · h2load (1 thread) on core ${options.clientCpu}, ` +
      `server on core ${options.serverCpu} · one fixed range \`${range}\` (h2load sends the same ` +
      "headers with every request) · self-signed P-256 certificate, TLS 1.3.",
    "",
    machineTable(system),
    "",
    "| server | how | req/s | mean latency ms | max latency ms | peak RSS MB | errors | spread |",
    "|---|---|---|---|---|---|---|---|",
  ];
  const medianOf = (peerId: string, shape: Shape["id"], pick: (s: Http2Sample) => number) =>
    median(samples.filter((s) => s.peerId === peerId && s.shape === shape).map(pick));
  for (const peer of peers) {
    const problem = wrong.get(peer.id);
    if (problem !== undefined) {
      lines.push(`| ${peer.name} | ✗ ${problem} | not timed | | | | | |`);
      continue;
    }
    for (const shape of SHAPES) {
      const mine = samples.filter((s) => s.peerId === peer.id && s.shape === shape.id);
      const rates = mine.map((s) => s.result.requestsPerSecond);
      const rate = median(rates);
      const spread = rate > 0 ? (Math.max(...rates) - Math.min(...rates)) / rate : 0;
      lines.push(
        `| ${peer.name} | ${shape.label} | ${rate.toFixed(0)} | ` +
          `${medianOf(peer.id, shape.id, (s) => s.result.meanLatencyMs).toFixed(1)} | ` +
          `${medianOf(peer.id, shape.id, (s) => s.result.maxLatencyMs).toFixed(1)} | ` +
          `${(medianOf(peer.id, shape.id, (s) => s.peakRssBytes) / 1e6).toFixed(0)} | ` +
          `${mine.reduce((total, s) => total + s.result.errors, 0)} | ${(spread * 100).toFixed(0)} % |`,
      );
    }
  }
  const rate = (peerId: string, shape: Shape["id"]) =>
    medianOf(peerId, shape, (s) => s.result.requestsPerSecond);
  lines.push(
    "",
    "| ratio of medians (req/s) | value |",
    "|---|---|",
    ...peers.map(
      (peer) =>
        `| ${peer.name}: HTTP/2 ÷ HTTP/1.1 over TLS | ${(rate(peer.id, "h2") / rate(peer.id, "https1")).toFixed(2)}× |`,
    ),
    ...SHAPES.map(
      (shape) =>
        `| Reel ÷ nginx, ${shape.label} | ${(rate("reel", shape.id) / rate("nginx", shape.id)).toFixed(2)}× |`,
    ),
  );
  return lines.join("\n");
}

function rotate<T>(items: T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
