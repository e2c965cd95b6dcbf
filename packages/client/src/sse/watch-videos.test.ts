import { describe, expect, it } from "vitest";
import { createReelClient, type LibraryEvent, ReelApiError, type WatchStatus } from "../index.js";
import { createFakeEventStream, type FakeAnswer } from "../test-support/fake-event-stream.js";

const VIDEO = {
  filename: "new.mp4",
  size: 10,
  modifiedAt: "2026-11-25T02:00:00.000Z",
  etag: '"a~1"',
  contentType: "video/mp4",
  url: "/api/video/new.mp4",
  media: null,
};

const added = (id: string) => `id: ${id}\nevent: added\ndata: ${JSON.stringify(VIDEO)}\n\n`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error("condition not met in time");
    }
    await sleep(5);
  }
}

function watch(
  answers: FakeAnswer[] = [],
  options: { retryDelayMs?: number; idleTimeoutMs?: number } = {},
) {
  const fake = createFakeEventStream(answers);
  const client = createReelClient({ baseUrl: "http://reel.test", fetch: fake.fetch });
  const events: LibraryEvent[] = [];
  const statuses: WatchStatus[] = [];
  const errors: unknown[] = [];
  const stop = client.watchVideos((event) => events.push(event), {
    retryDelayMs: options.retryDelayMs ?? 10,
    idleTimeoutMs: options.idleTimeoutMs,
    onStatus: (status) => statuses.push(status),
    onError: (error) => errors.push(error),
  });
  return { fake, events, statuses, errors, stop };
}

describe("watchVideos", () => {
  it("connects to the event stream and delivers typed events", async () => {
    const { fake, events, statuses, stop } = watch();
    await fake.waitForRequests(1);
    const request = fake.requests[0];
    expect(request?.url).toBe("http://reel.test/api/videos/events");
    expect(request?.headers.get("Accept")).toBe("text/event-stream");
    expect(request?.headers.has("Last-Event-ID")).toBe(false);

    fake.connections[0]?.send(`retry: 2000\nid: b-0\n\n: ping\n\n${added("b-1")}`);
    fake.connections[0]?.send('id: b-2\nevent: removed\ndata: {"filename":"old.mp4"}\n\n');
    await until(() => events.length === 2);
    expect(events).toEqual([
      { event: "added", id: "b-1", data: VIDEO },
      { event: "removed", id: "b-2", data: { filename: "old.mp4" } },
    ]);
    expect(statuses).toEqual(["connecting", "open"]);
    stop();
  });

  it("passes a reset event to onEvent", async () => {
    const { fake, events, stop } = watch();
    await fake.waitForRequests(1);
    fake.connections[0]?.send('id: b-9\nevent: reset\ndata: {"reason":"list again"}\n\n');
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ event: "reset", id: "b-9", data: { reason: "list again" } });
    stop();
  });

  it("reconnects with Last-Event-ID after the server drops the connection", async () => {
    const { fake, events, statuses, stop } = watch();
    await fake.waitForRequests(1);
    fake.connections[0]?.send(added("b-1"));
    await until(() => events.length === 1);
    fake.connections[0]?.end();

    await fake.waitForRequests(2);
    expect(fake.requests[1]?.headers.get("Last-Event-ID")).toBe("b-1");
    fake.connections[1]?.send(added("b-2"));
    await until(() => events.length === 2);
    expect(events.map((event) => event.id)).toEqual(["b-1", "b-2"]);
    expect(statuses).toEqual(["connecting", "open", "retrying", "connecting", "open"]);
    stop();
  });

  it("drops an event cut off by the dropped connection instead of splicing it", async () => {
    const { fake, events, stop } = watch();
    await fake.waitForRequests(1);
    fake.connections[0]?.send(`${added("b-1")}id: b-2\nevent: removed\ndata: {"filen`);
    await until(() => events.length === 1);
    fake.connections[0]?.end();
    await fake.waitForRequests(2);
    expect(fake.requests[1]?.headers.get("Last-Event-ID")).toBe("b-1");
    fake.connections[1]?.send('id: b-2\nevent: removed\ndata: {"filename":"x.mp4"}\n\n');
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ event: "removed", id: "b-2", data: { filename: "x.mp4" } });
    stop();
  });

  it("resumes from the bare id the server opens with, even before any event", async () => {
    const { fake, stop } = watch();
    await fake.waitForRequests(1);
    fake.connections[0]?.send("retry: 2000\nid: b-5\n\n");
    await sleep(20);
    fake.connections[0]?.end();
    await fake.waitForRequests(2);
    expect(fake.requests[1]?.headers.get("Last-Event-ID")).toBe("b-5");
    stop();
  });

  it("sends lastEventId as Last-Event-ID on its first connection, to continue a handed-over stream", async () => {
    const fake = createFakeEventStream();
    const client = createReelClient({ baseUrl: "http://reel.test", fetch: fake.fetch });
    const events: LibraryEvent[] = [];
    const stop = client.watchVideos((event) => events.push(event), { lastEventId: "b-7" });
    await fake.waitForRequests(1);
    expect(fake.requests[0]?.headers.get("Last-Event-ID")).toBe("b-7");
    fake.connections[0]?.send(added("b-8"));
    await until(() => events.length === 1);
    expect(events[0]?.id).toBe("b-8");
    stop();
  });

  it("reports each new last event id to onLastEventId, the bare opening id included", async () => {
    const fake = createFakeEventStream();
    const client = createReelClient({ baseUrl: "http://reel.test", fetch: fake.fetch });
    const ids: string[] = [];
    const stop = client.watchVideos(() => undefined, { onLastEventId: (id) => ids.push(id) });
    await fake.waitForRequests(1);
    fake.connections[0]?.send("retry: 2000\nid: b-5\n\n: ping\n\n");
    await until(() => ids.length === 1);
    fake.connections[0]?.send(`${added("b-6")}${added("b-7")}`);
    await until(() => ids.at(-1) === "b-7");
    expect(ids[0]).toBe("b-5");
    stop();
  });

  it("retries after a network error and an HTTP error, reporting both to onError", async () => {
    const unavailable = Response.json({ detail: "restarting" }, { status: 503 });
    const { fake, errors, statuses, stop } = watch([new TypeError("fetch failed"), unavailable]);
    await fake.waitForRequests(3);
    await until(() => statuses.at(-1) === "open");
    expect(errors[0]).toBeInstanceOf(TypeError);
    expect(errors[1]).toBeInstanceOf(ReelApiError);
    expect(errors[1]).toMatchObject({ status: 503, detail: "restarting" });
    expect(statuses).toEqual([
      "connecting",
      "retrying",
      "connecting",
      "retrying",
      "connecting",
      "open",
    ]);
    stop();
  });

  it("backs off, doubling the delay after each failed attempt", async () => {
    const failure = () => new TypeError("fetch failed");
    const { fake, stop } = watch([failure(), failure(), failure()], { retryDelayMs: 40 });
    const times: number[] = [];
    for (let count = 1; count <= 4; count += 1) {
      await fake.waitForRequests(count);
      times.push(performance.now());
    }
    stop();
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
    // Timers never fire early by more than a millisecond; late is fine on a busy machine.
    expect(gaps[0]).toBeGreaterThanOrEqual(39);
    expect(gaps[1]).toBeGreaterThanOrEqual(79);
    expect(gaps[2]).toBeGreaterThanOrEqual(159);
  });

  it("treats a response that is not an event stream as a failure", async () => {
    const html = new Response("<!doctype html>", { headers: { "Content-Type": "text/html" } });
    const { fake, errors, stop } = watch([html]);
    await fake.waitForRequests(2);
    expect(errors[0]).toMatchObject({ name: "ReelApiError", status: 200 });
    stop();
  });

  it("reconnects when the stream stays silent longer than the idle timeout", async () => {
    const { fake, statuses, errors, stop } = watch([], { idleTimeoutMs: 50 });
    await fake.waitForRequests(2);
    expect(fake.connections[0]?.request.signal.aborted).toBe(true);
    expect(errors[0]).toMatchObject({ name: "TimeoutError" });
    expect(statuses.slice(0, 3)).toEqual(["connecting", "open", "retrying"]);
    stop();
  });

  it("skips unknown event types and reports a malformed payload without stopping", async () => {
    const { fake, events, errors, stop } = watch();
    await fake.waitForRequests(1);
    fake.connections[0]?.send("event: renamed\ndata: {}\n\n");
    fake.connections[0]?.send("event: added\ndata: not json\n\n");
    fake.connections[0]?.send("event: removed\ndata: {}\n\n");
    fake.connections[0]?.send(added("b-3"));
    await until(() => events.length === 1);
    expect(events[0]?.id).toBe("b-3");
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(SyntaxError);
    expect(errors[1]).toBeInstanceOf(TypeError);
    stop();
  });

  it("stops on unsubscribe: aborts the request, then no events, statuses or reconnects", async () => {
    const { fake, events, statuses, stop } = watch();
    await fake.waitForRequests(1);
    await until(() => statuses.at(-1) === "open");
    // An event already on the wire but not yet read must not reach onEvent after stop().
    fake.connections[0]?.send(added("b-1"));
    stop();
    stop(); // idempotent
    expect(fake.connections[0]?.request.signal.aborted).toBe(true);
    const statusCount = statuses.length;
    await sleep(50);
    expect(events).toEqual([]);
    expect(statuses).toHaveLength(statusCount);
    expect(fake.requests).toHaveLength(1);
  });

  it("stops when its signal aborts, and never connects for an aborted signal", async () => {
    const fake = createFakeEventStream();
    const client = createReelClient({ baseUrl: "http://reel.test", fetch: fake.fetch });
    client.watchVideos(() => undefined, { signal: AbortSignal.abort() });
    await sleep(20);
    expect(fake.requests).toHaveLength(0);

    const controller = new AbortController();
    client.watchVideos(() => undefined, { signal: controller.signal, retryDelayMs: 10 });
    await fake.waitForRequests(1);
    controller.abort();
    expect(fake.connections[0]?.request.signal.aborted).toBe(true);
    await sleep(50);
    expect(fake.requests).toHaveLength(1);
  });
});
