/**
 * Raw TCP clients that act like the slow and idle clients of a slowloris attack, for the
 * connection-limit tests. Each records when it started and when the server closed it, in
 * `performance.now()` ms, and every byte the server sent.
 */
import { connect, type Socket } from "node:net";

/** One client connection and what happened to it. */
export interface TrackedConnection {
  socket: Socket;
  /** `performance.now()` just before connecting: no earlier than the server's accept. */
  startedAt: number;
  /** `performance.now()` when the socket closed, `undefined` while open. */
  closedAt: number | undefined;
  /** Everything the server sent, in order. */
  received(): Buffer;
  /** Resolves with `closedAt` once the socket has closed (by either side). */
  closed: Promise<number>;
}

/** Opens a TCP connection to 127.0.0.1:`port` and resolves once it is connected. */
export function openConnection(port: number): Promise<TrackedConnection> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    const socket = connect({ host: "127.0.0.1", port });
    let resolveClosed: (at: number) => void = () => {};
    const tracked: TrackedConnection = {
      socket,
      startedAt,
      closedAt: undefined,
      received: () => Buffer.concat(chunks),
      closed: new Promise((onClosed) => {
        resolveClosed = onClosed;
      }),
    };
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => {}); // a reset by the server is an outcome the test inspects
    socket.once("close", () => {
      tracked.closedAt = performance.now();
      resolveClosed(tracked.closedAt);
    });
    socket.once("connect", () => resolve(tracked));
    socket.once("error", reject);
  });
}

/**
 * Resolves with `connection.closedAt` once it closes; rejects if it is still open after
 * `timeoutMs` (so a server that never closes it fails the test with a message, not a hang).
 */
export function closedWithin(connection: TrackedConnection, timeoutMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`connection still open ${timeoutMs} ms after the deadline`)),
      timeoutMs,
    );
  });
  return Promise.race([connection.closed, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A connection that sent one complete `GET path` (HTTP/1.1, so kept alive) and read its whole
 * response (`Content-Length` framed): an idle keep-alive connection. Rejects if the server closes
 * it before the response is complete.
 */
export async function openIdleConnection(port: number, path: string): Promise<TrackedConnection> {
  const connection = await openConnection(port);
  const { socket } = connection;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      const bytes = connection.received();
      const headerEnd = bytes.indexOf("\r\n\r\n");
      if (headerEnd === -1) {
        return;
      }
      const head = bytes.subarray(0, headerEnd).toString("latin1");
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      if (bytes.length >= headerEnd + 4 + length) {
        socket.off("data", check);
        socket.off("close", onClose);
        resolve();
      }
    };
    const onClose = () => reject(new Error(`closed before the response to ${path} was complete`));
    socket.on("data", check);
    socket.once("close", onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
  return connection;
}

/** The bytes a slow client trickles: a request whose header section never ends. */
const SLOW_REQUEST = Buffer.from(
  `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${"a".repeat(4096)}`,
);

/** A slowloris client: a connection that sends its request headers `trickle()` byte by byte. */
export interface SlowConnection extends TrackedConnection {
  /** Sends the next byte of the never-ending header section, unless the socket has closed. */
  trickle(): void;
}

/** Opens a connection that has sent the first byte of its request and waits for `trickle`. */
export async function openSlowConnection(port: number): Promise<SlowConnection> {
  const connection = await openConnection(port);
  let sent = 0;
  const trickle = () => {
    if (connection.closedAt === undefined && sent < SLOW_REQUEST.length) {
      connection.socket.write(SLOW_REQUEST.subarray(sent, sent + 1));
      sent += 1;
    }
  };
  trickle();
  // The same object, not a copy: `closedAt` is written by the socket's close listener.
  return Object.assign(connection, { trickle });
}
