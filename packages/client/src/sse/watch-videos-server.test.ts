import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReelClient, type LibraryEvent, type WatchStatus } from "../index.js";
import { type Fixture, randomFile, startFixture } from "../test-support/fixture.js";

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error("condition not met in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("watchVideos against a real server", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({}, { stableMs: 50 });
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** Writes under a temporary name and renames, as producers should. */
  function publish(filename: string): void {
    const temporary = join(fixture.videoDir, `${filename}.tmp`);
    writeFileSync(temporary, randomFile(1000));
    renameSync(temporary, join(fixture.videoDir, filename));
  }

  it("receives added, changed and removed events, and misses none across a dropped connection", async () => {
    const lastEventIds: Array<string | null> = [];
    // The reconnect waits at this gate, so the test decides what happens while no stream is open.
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const client = createReelClient({
      baseUrl: fixture.server.baseUrl,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        lastEventIds.push(request.headers.get("Last-Event-ID"));
        if (lastEventIds.length > 1) {
          await gate;
        }
        return fetch(request);
      },
    });
    const events: LibraryEvent[] = [];
    const statuses: WatchStatus[] = [];
    const stop = client.watchVideos((event) => events.push(event), {
      retryDelayMs: 50,
      onStatus: (status) => statuses.push(status),
    });
    try {
      await until(() => statuses.at(-1) === "open");
      publish("first.mp4");
      await until(() => events.length === 1);
      expect(events[0]).toMatchObject({
        event: "added",
        data: { filename: "first.mp4", size: 1000 },
      });

      fixture.server.server.closeAllConnections(); // the server drops every open stream
      await until(() => lastEventIds.length === 2); // the client is reconnecting, held at the gate
      publish("second.mp4");
      // Announced (the listing has it) while this client has no stream open.
      await until(async () => (await fixture.client.listVideos({ q: "second" })).total === 1);
      expect(events).toHaveLength(1);
      openGate();

      await until(() => events.length === 2);
      expect(lastEventIds).toEqual([null, events[0]?.id]);
      expect(events[1]).toMatchObject({ event: "added", data: { filename: "second.mp4" } });
      expect(statuses).toEqual(["connecting", "open", "retrying", "connecting", "open"]);

      writeFileSync(join(fixture.videoDir, "first.mp4"), randomFile(2000));
      await until(() => events.length === 3);
      expect(events[2]).toMatchObject({
        event: "changed",
        data: { filename: "first.mp4", size: 2000 },
      });

      rmSync(join(fixture.videoDir, "second.mp4"));
      await until(() => events.length === 4);
      expect(events[3]).toMatchObject({ event: "removed", data: { filename: "second.mp4" } });
      expect(new Set(events.map((event) => event.id)).size).toBe(4);
    } finally {
      stop();
    }
  });

  it("gets a reset event when resuming from an id the server does not know", async () => {
    const client = createReelClient({
      baseUrl: fixture.server.baseUrl,
      fetch: (input, init) => {
        const request = new Request(input, init);
        request.headers.set("Last-Event-ID", "00000000-1");
        return fetch(request);
      },
    });
    const events: LibraryEvent[] = [];
    const stop = client.watchVideos((event) => events.push(event));
    try {
      await until(() => events.length === 1);
      expect(events[0]).toMatchObject({ event: "reset", data: { reason: expect.any(String) } });
    } finally {
      stop();
    }
  });
});
