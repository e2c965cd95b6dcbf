// Tabs are simulated in one process with the real primitives underneath: Node's BroadcastChannel
// (delivers between instances of one name, asynchronously, as between tabs) and an in-memory
// Web Locks manager with the browser's grant order.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LibraryEvent, VideoInfo, WatchStatus } from "../../lib/reel";
import { createMemoryLocks, type MemoryLocks } from "../../test/memory-locks";
import { type RelayRole, startLiveRelay, type WatchFunction } from "./live-relay";

const NAME = "reel-live:http://reel.test";

function video(filename: string): VideoInfo {
  return {
    filename,
    size: 1,
    modifiedAt: "2026-11-29T10:00:00.000Z",
    etag: `"${filename}"`,
    contentType: "video/mp4",
    url: `/api/video/${filename}`,
    media: null,
    poster: null,
    previews: null,
    subtitles: [],
  };
}

const added = (id: string, filename = `${id}.mp4`): LibraryEvent => ({
  event: "added",
  id,
  data: video(filename),
});

/** One `watchVideos` call made by a leader, with handles to play the server. */
interface Connection {
  lastEventId: string | undefined;
  stopped: boolean;
  emit(event: LibraryEvent): void;
  setStatus(status: WatchStatus): void;
  setLastEventId(id: string): void;
}

/** The SDK's watchVideos as a fake server: records every connection a leader opens. */
function createServer() {
  const connections: Connection[] = [];
  const watch: WatchFunction = (onEvent, options) => {
    const connection: Connection = {
      lastEventId: options.lastEventId,
      stopped: false,
      emit: (event) => {
        if (!connection.stopped) {
          onEvent(event);
        }
      },
      setStatus: (status) => options.onStatus?.(status),
      setLastEventId: (id) => options.onLastEventId?.(id),
    };
    connections.push(connection);
    return () => {
      connection.stopped = true;
    };
  };
  return { connections, watch, open: () => connections.filter((c) => !c.stopped) };
}

/** A tab running the relay; records what its page would see. */
interface Tab {
  events: LibraryEvent[];
  statuses: WatchStatus[];
  role: RelayRole | null;
  close(): void;
}

const openTabs: Tab[] = [];
afterEach(() => {
  for (const tab of openTabs.splice(0)) {
    tab.close();
  }
});

function openTab(locks: MemoryLocks, watch: WatchFunction): Tab {
  const tab: Tab = { events: [], statuses: [], role: null, close: () => undefined };
  tab.close = startLiveRelay({
    name: NAME,
    locks,
    channel: new BroadcastChannel(NAME),
    watch,
    onEvent: (event) => tab.events.push(event),
    onStatus: (status) => tab.statuses.push(status),
    onRole: (role) => {
      tab.role = role;
    },
  });
  openTabs.push(tab);
  return tab;
}

/** Waits for a condition; the deadline only guards against a hang. */
function until(condition: () => boolean): Promise<void> {
  return vi.waitFor(
    () => {
      if (!condition()) {
        throw new Error("not yet");
      }
    },
    { timeout: 5000, interval: 5 },
  );
}

describe("startLiveRelay", () => {
  it("opens one connection for all tabs and hands each event to every tab once", async () => {
    const locks = createMemoryLocks();
    const server = createServer();
    const tabs = [openTab(locks, server.watch), openTab(locks, server.watch)];
    await until(() => server.connections.length === 1);
    tabs.push(openTab(locks, server.watch));
    await until(() => locks.waiting(NAME) === 2);

    server.connections[0]?.setStatus("open");
    server.connections[0]?.emit(added("b-1"));
    server.connections[0]?.emit(added("b-2"));
    await until(() => tabs.every((tab) => tab.events.length === 2));

    expect(server.connections).toHaveLength(1);
    expect(tabs.map((tab) => tab.role)).toEqual(["leader", "follower", "follower"]);
    for (const tab of tabs) {
      expect(tab.events.map((event) => event.id)).toEqual(["b-1", "b-2"]);
    }
  });

  describe("the live status a follower shows", () => {
    it("is the leader's, including for a tab that opens later", async () => {
      const locks = createMemoryLocks();
      const server = createServer();
      const leader = openTab(locks, server.watch);
      const follower = openTab(locks, server.watch);
      await until(() => server.connections.length === 1);
      server.connections[0]?.setStatus("open");
      await until(() => follower.statuses.at(-1) === "open");

      const late = openTab(locks, server.watch);
      await until(() => late.statuses.at(-1) === "open");
      server.connections[0]?.setStatus("retrying");
      await until(() => [follower, late].every((tab) => tab.statuses.at(-1) === "retrying"));
      expect(leader.statuses).toEqual(["open", "retrying"]);
    });

    it("stays connecting until the connection opens", async () => {
      const locks = createMemoryLocks();
      const server = createServer();
      const tab = openTab(locks, server.watch);
      await until(() => server.connections.length === 1);
      expect(tab.statuses).toEqual([]);
    });
  });

  describe("when the tab holding the connection closes", () => {
    it("another tab takes over, continuing after the last event id it was relayed", async () => {
      const locks = createMemoryLocks();
      const server = createServer();
      const leader = openTab(locks, server.watch);
      const others = [openTab(locks, server.watch), openTab(locks, server.watch)];
      await until(() => server.connections.length === 1);
      await until(() => locks.waiting(NAME) === 2);
      server.connections[0]?.setStatus("open");
      server.connections[0]?.emit(added("b-1"));
      await until(() => others.every((tab) => tab.events.length === 1));

      leader.close();
      expect(server.connections[0]?.stopped).toBe(true);
      await until(() => server.connections.length === 2);
      const takeover = server.connections[1];
      expect(takeover?.lastEventId).toBe("b-1");
      takeover?.setStatus("open");
      takeover?.emit(added("b-2"));
      await until(() => others.every((tab) => tab.events.length === 2));

      expect(others.map((tab) => tab.role).sort()).toEqual(["follower", "leader"]);
      expect(server.open()).toHaveLength(1);
      for (const tab of others) {
        expect(tab.events.map((event) => event.id)).toEqual(["b-1", "b-2"]);
        // Connecting while the new leader connects: the indicator tells the truth.
        expect(tab.statuses.slice(-2)).toEqual(["connecting", "open"]);
      }
    });

    it("continues from the id the stream opened with when no event came yet", async () => {
      const locks = createMemoryLocks();
      const server = createServer();
      const leader = openTab(locks, server.watch);
      const follower = openTab(locks, server.watch);
      await until(() => server.connections.length === 1 && locks.waiting(NAME) === 1);
      server.connections[0]?.setStatus("open");
      server.connections[0]?.setLastEventId("b-5");
      await until(() => follower.statuses.at(-1) === "open");

      leader.close();
      await until(() => server.connections.length === 2);
      expect(server.connections[1]?.lastEventId).toBe("b-5");
    });

    it("drops an event the server replays to the new leader that the tabs already have", async () => {
      const locks = createMemoryLocks();
      const server = createServer();
      const leader = openTab(locks, server.watch);
      const follower = openTab(locks, server.watch);
      await until(() => server.connections.length === 1 && locks.waiting(NAME) === 1);
      server.connections[0]?.emit(added("b-1"));
      server.connections[0]?.emit(added("b-2"));
      await until(() => follower.events.length === 2);

      leader.close();
      await until(() => server.connections.length === 2);
      // As if the old leader's last message had not reached the new one before the handover.
      server.connections[1]?.emit(added("b-2"));
      server.connections[1]?.emit(added("b-3"));
      await until(() => follower.events.length === 3);
      expect(follower.events.map((event) => event.id)).toEqual(["b-1", "b-2", "b-3"]);
    });
  });

  it("never connects from a tab that closed while waiting, nor relays after closing", async () => {
    const locks = createMemoryLocks();
    const server = createServer();
    const leader = openTab(locks, server.watch);
    const waiting = openTab(locks, server.watch);
    const third = openTab(locks, server.watch);
    await until(() => server.connections.length === 1 && locks.waiting(NAME) === 2);
    waiting.close();
    await until(() => locks.waiting(NAME) === 1);
    leader.close();
    await until(() => server.connections.length === 2);
    expect(third.role).toBe("leader");
    expect(waiting.role).toBe("follower");

    server.connections[1]?.emit(added("b-1"));
    await until(() => third.events.length === 1);
    expect(waiting.events).toEqual([]);
    expect(leader.events).toEqual([]);
  });
});
