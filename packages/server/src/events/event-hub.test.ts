import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type EventStreamReader, openEventStream } from "../test-support/sse-client.js";
import { EventHub } from "./event-hub.js";

describe("EventHub", () => {
  let hub: EventHub;
  let server: Server;
  let url: string;
  /** One promise per accepted connection, settled once the hub has seen it close. */
  let closed: Promise<unknown>[];
  const readers: EventStreamReader[] = [];

  async function connect(lastEventId?: string): Promise<EventStreamReader> {
    const reader = await openEventStream(url, { lastEventId });
    readers.push(reader);
    await reader.waitFor((frame) => frame.retry !== undefined);
    return reader;
  }

  beforeEach(async () => {
    hub = new EventHub({ heartbeatMs: 100, historySize: 3 });
    closed = [];
    server = createServer((request, response) => {
      response.writeHead(200, { "Content-Type": "text/event-stream" });
      const lastEventId = request.headers["last-event-id"];
      hub.attach(response, typeof lastEventId === "string" ? lastEventId : undefined);
      // Listened to after attach(), so the hub's own close listener has run when this settles.
      closed.push(once(response, "close"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`; // TCP: never a string
  });

  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    for (const reader of readers.splice(0)) {
      reader.close();
    }
    hub.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("sends each published event to every connection with increasing ids", async () => {
    const [a, b] = [await connect(), await connect()];
    hub.publish({ event: "removed", data: { filename: "x.mp4" } });
    hub.publish({ event: "removed", data: { filename: "y.mp4" } });
    for (const reader of [a, b]) {
      await reader.waitFor((frame) => frame.data?.includes("y.mp4") === true);
      expect(reader.events().map((frame) => [frame.id, frame.event, frame.data])).toEqual([
        [`${hub.bootId}-1`, "removed", '{"filename":"x.mp4"}'],
        [`${hub.bootId}-2`, "removed", '{"filename":"y.mp4"}'],
      ]);
    }
  });

  it("keeps only the newest events and resets a client older than them", async () => {
    for (const name of ["1", "2", "3", "4", "5"]) {
      hub.publish({ event: "removed", data: { filename: `${name}.mp4` } });
    }
    const fromTwo = await connect(`${hub.bootId}-2`); // 3, 4 and 5 are kept: resumable
    expect(fromTwo.events().map((frame) => frame.id)).toEqual([
      `${hub.bootId}-3`,
      `${hub.bootId}-4`,
      `${hub.bootId}-5`,
    ]);
    const fromOne = await connect(`${hub.bootId}-1`); // 2 is gone: reset
    expect(fromOne.events().map((frame) => frame.event)).toEqual(["reset"]);
    const fromFuture = await connect(`${hub.bootId}-9`);
    expect(fromFuture.events().map((frame) => frame.event)).toEqual(["reset"]);
  });

  it("pings every connection from one shared timer, started once and stopped when idle", async () => {
    // The heartbeat runs on a fake clock, so 350 ms hold exactly three 100 ms ticks however busy
    // the machine is (a real sleep of 350 ms can end before the second one was read).
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const clearIntervalSpy = vi.spyOn(globalThis, "clearInterval");
    const connections = await Promise.all(Array.from({ length: 20 }, () => connect()));
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(350);
    const pings = (reader: EventStreamReader) =>
      reader.frames.filter((frame) => frame.comment === "ping").length;
    await Promise.all(connections.map((reader) => reader.waitFor(() => pings(reader) >= 3)));
    expect(connections.map(pings)).toEqual(connections.map(() => 3));
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);
    for (const reader of connections) {
      reader.close();
    }
    await Promise.all(closed);
    expect(hub.connectionCount).toBe(0);
    expect(clearIntervalSpy).toHaveBeenCalled();
  });

  it("forgets a connection as soon as it closes", async () => {
    const readers = await Promise.all(Array.from({ length: 50 }, () => connect()));
    expect(hub.connectionCount).toBe(50);
    for (const reader of readers) {
      reader.close();
    }
    await Promise.all(closed);
    expect(hub.connectionCount).toBe(0);
  });

  describe("continuing another hub's id space (a cluster worker)", () => {
    it("relays the primary's events with their ids and resumes from a snapshot", async () => {
      const primary = new EventHub({ historySize: 3 });
      primary.publish({ event: "removed", data: { filename: "before.mp4" } });
      const relayed: number[] = [];
      hub.close();
      hub = new EventHub({ heartbeatMs: 100, historySize: 3, from: primary.snapshot() });
      primary.onEvent = (event) => {
        relayed.push(event.seq);
        hub.relay(event);
      };
      expect([hub.bootId, hub.currentId]).toEqual([primary.bootId, primary.currentId]);
      const resumed = await connect(`${primary.bootId}-0`);
      primary.publish({ event: "removed", data: { filename: "after.mp4" } });
      await resumed.waitFor((frame) => frame.data?.includes("after.mp4") === true);
      expect(resumed.events().map((frame) => [frame.id, frame.data])).toEqual([
        [`${primary.bootId}-1`, '{"filename":"before.mp4"}'],
        [`${primary.bootId}-2`, '{"filename":"after.mp4"}'],
      ]);
      expect(relayed).toEqual([2]);
      hub.relay({ seq: 2, frame: "id: stale\n\n" }); // not newer: ignored
      expect(hub.snapshot().history.map((event) => event.seq)).toEqual([1, 2]);
    });
  });
});
