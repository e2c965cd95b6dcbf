/**
 * An injected `fetch` that answers each request with an event stream the test writes to, so the
 * reconnect logic is tested without timing races against a real server.
 */

/** One request the client made, and the stream it got back. */
export interface FakeConnection {
  request: Request;
  send(text: string): void;
  /** Ends the stream as a server dropping the connection would. */
  end(): void;
}

/** What a test scripts: an answer per request, by default an open event stream. */
export type FakeAnswer = "stream" | Response | Error;

/** The fake `fetch` and the connections it has served. */
export interface FakeEventStream {
  fetch: typeof fetch;
  connections: FakeConnection[];
  /** Requests, including those answered with an error or a non-stream response. */
  requests: Request[];
  /** Resolves when `count` requests have been made. */
  waitForRequests(count: number): Promise<void>;
}

/** Creates the fake; `answers[i]` scripts the i-th request (an open stream when missing). */
export function createFakeEventStream(answers: FakeAnswer[] = []): FakeEventStream {
  const connections: FakeConnection[] = [];
  const requests: Request[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const encoder = new TextEncoder();

  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiter.resolve();
    }
    const answer = answers[requests.length - 1] ?? "stream";
    if (answer instanceof Error) {
      throw answer;
    }
    if (answer instanceof Response) {
      return answer;
    }
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    request.signal.addEventListener("abort", () => controller?.error(request.signal.reason));
    connections.push({
      request,
      send: (text) => controller?.enqueue(encoder.encode(text)),
      end: () => controller?.close(),
    });
    return new Response(body, { headers: { "Content-Type": "text/event-stream; charset=utf-8" } });
  };

  return {
    fetch: fakeFetch,
    connections,
    requests,
    waitForRequests: (count) =>
      new Promise((resolve) => {
        if (requests.length >= count) {
          resolve();
        } else {
          waiters.push({ count, resolve });
        }
      }),
  };
}
