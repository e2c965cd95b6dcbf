/** Finds loopback TCP ports that are free right now, by letting the kernel pick them. */
import { createServer, type Server } from "node:net";

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("A TCP server has no port");
  }
  return address.port;
}

/**
 * Returns `count` distinct ports on 127.0.0.1 that were free a moment ago. All listeners are
 * open at once so the kernel never hands out the same port twice; they are closed before
 * returning, so another process could take one in between (the daemon then fails to bind and
 * says so in its log).
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const results = await Promise.allSettled(Array.from({ length: count }, listenOnAnyPort));
  const servers = results.flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : [],
  );
  const ports = servers.map(portOf);
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  const failure = results.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    throw failure.reason;
  }
  return ports;
}
