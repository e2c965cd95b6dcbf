/**
 * A TCP relay in front of a server that cuts connections off mid-response, the way a dying
 * replica or a dropped network does: the first `cuts` connections are destroyed once `afterBytes`
 * bytes of the server's answer went through; later connections pass untouched.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

/** The running relay. */
export interface CuttingRelay {
  /** `http://127.0.0.1:<port>`: point a client here. */
  url: string;
  /** Connections accepted so far (each carried one or more requests). */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a relay to 127.0.0.1:`targetPort` on a free port. */
export function startCuttingRelay(
  targetPort: number,
  options: { cuts: number; afterBytes: number },
): Promise<CuttingRelay> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    accepted += 1;
    const cut = accepted <= options.cuts;
    const upstream = connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    let relayed = 0;
    upstream.on("data", (chunk: Buffer) => {
      if (!cut) {
        client.write(chunk);
        return;
      }
      const room = options.afterBytes - relayed;
      relayed += chunk.length;
      if (room > chunk.length) {
        client.write(chunk);
        return;
      }
      client.end(chunk.subarray(0, Math.max(room, 0)), () => client.destroy());
      upstream.destroy();
    });
    upstream.on("end", () => client.end());
    client.on("data", (chunk: Buffer) => upstream.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        connections: () => accepted,
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
