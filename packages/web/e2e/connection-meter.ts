// The server's side of the browser's connections. A TCP pass-through in front of the player
// port records every connection the browser opens, whether it is still open, and which request
// it carried last (read from the HTTP/1.1 request line). A browser limits itself to six
// HTTP/1.1 connections per host:port, so the tests point browsers at this port and can see
// exactly which tab's video or event stream holds a connection, and when it is given back.
import { connect, createServer, type Socket } from "node:net";

/** One browser connection. */
export interface MeteredConnection {
  id: number;
  /** `GET /api/video/x.mp4`, … in the order they came. */
  requests: string[];
  open: boolean;
  /** Vite's hot-reload socket: not an HTTP connection from then on, and not counted. */
  websocket: boolean;
}

/** The running pass-through. */
export interface ConnectionMeter {
  /** Point the browser here (http://localhost:port). */
  port: number;
  connections: MeteredConnection[];
  /** Open connections whose last request starts with `request` (`GET /api/video/`). */
  holding(request: string): MeteredConnection[];
  close(): Promise<void>;
}

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+) HTTP\/1\.[01]$/;
/** A request head longer than this is not ours: stop buffering (WebSocket frames, bodies). */
const MAX_LINE = 16 * 1024;

/** Starts the pass-through to 127.0.0.1:`targetPort` on a free port. */
export function startConnectionMeter(targetPort: number): Promise<ConnectionMeter> {
  const connections: MeteredConnection[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const entry: MeteredConnection = {
      id: connections.length + 1,
      requests: [],
      open: true,
      websocket: false,
    };
    connections.push(entry);
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    let pending = "";
    client.on("data", (chunk: Buffer) => {
      if (entry.websocket) {
        return;
      }
      pending += chunk.toString("latin1");
      const lines = pending.split("\r\n");
      pending = (lines.pop() ?? "").slice(-MAX_LINE);
      for (const line of lines) {
        const match = REQUEST_LINE.exec(line);
        if (match) {
          entry.requests.push(`${match[1]} ${match[2]}`);
        } else if (/^upgrade:\s*websocket$/i.test(line)) {
          entry.websocket = true;
        }
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      entry.open = false;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        port,
        connections,
        holding: (request) =>
          connections.filter((c) => c.open && (c.requests.at(-1) ?? "").startsWith(request)),
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) {
              socket.destroy();
            }
            server.close(() => done());
          }),
      });
    });
  });
}
