import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import send from "send";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./fixture.js";
import type { RunningPeer } from "./peers/types.js";
import { isTimedOn, verifyPeer } from "./verify.js";

const SIZE = 4 * 1024 * 1024; // enough for the 1 MiB range the checks ask for
let fixture: Fixture;
const servers: Server[] = [];

/** A peer around an in-process server: real HTTP, no child process. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<RunningPeer> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo; // listening on TCP, so an AddressInfo
  return { name: "test", port, urlFor: (name) => `/${name}`, pids: () => [], stop: async () => {} };
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "bench-verify-"));
  const path = join(dir, "clip.mp4");
  writeFileSync(path, randomBytes(SIZE));
  fixture = {
    dir,
    filename: "clip.mp4",
    path,
    size: SIZE,
    scratch: dir,
    remove: () => rmSync(dir, { recursive: true }),
  };
});

afterAll(() => {
  for (const server of servers) {
    server.close();
  }
  fixture.remove();
});

describe("verifyPeer", () => {
  it("passes a server that answers every range byte-exactly (send)", async () => {
    const peer = await serve((req, res) => {
      send(req, req.url ?? "/", { root: fixture.dir }).pipe(res);
    });
    const verification = await verifyPeer(peer, fixture);
    expect(verification.checks.filter((check) => !check.ok)).toEqual([]);
    expect(verification.isRankable).toBe(true);
  });

  it("marks a server that ignores Range as not rankable, naming the failed check", async () => {
    const peer = await serve((req, res) => {
      send(req, req.url ?? "/", { root: fixture.dir, acceptRanges: false }).pipe(res);
    });
    const verification = await verifyPeer(peer, fixture);
    expect(verification.isRankable).toBe(false);
    expect(verification.checks.find((check) => check.name === "bytes=a-b, 10 KB")?.problem).toBe(
      "status 200, expected 206",
    );
  });

  it("catches wrong bytes behind a correct status and Content-Range", async () => {
    const peer = await serve((req, res) => {
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
      if (range === null) {
        send(req, req.url ?? "/", { root: fixture.dir }).pipe(res);
        return;
      }
      const length = Number(range[2]) - Number(range[1]) + 1;
      res.writeHead(206, { "Content-Range": `bytes ${range[1]}-${range[2]}/${SIZE}` });
      res.end(Buffer.alloc(length)); // zeros, not the file
    });
    const verification = await verifyPeer(peer, fixture);
    expect(verification.checks.find((check) => check.name === "bytes=a-b, 1 MiB")?.problem).toBe(
      "body bytes differ from the file",
    );
    expect(verification.isRankable).toBe(false);
  });

  it("keeps a server that answers a missing file with 200 off W404 only", async () => {
    const peer = await serve((req, res) => {
      if (req.url?.includes("missing")) {
        res.end("soft 404"); // status 200: wrk would count it as a served request
        return;
      }
      send(req, req.url ?? "/", { root: fixture.dir }).pipe(res);
    });
    expect((await verifyPeer(peer, fixture)).checks.map((check) => check.name)).not.toContain(
      "missing file (404)", // asked only when W404 is timed
    );
    const verification = await verifyPeer(peer, fixture, ["W3", "W404"]);
    expect(verification.checks.find((check) => check.name === "missing file (404)")).toMatchObject({
      ok: false,
      gates: "W404",
      problem: "status 200, expected 404",
    });
    expect(verification.isRankable).toBe(true);
    expect(isTimedOn(verification, "W3")).toBe(true);
    expect(isTimedOn(verification, "W404")).toBe(false);
  });
});
