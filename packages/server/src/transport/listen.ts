/** Binds a server and reports where, as a promise instead of a callback plus an 'error' event. */
import type { AddressInfo, Server } from "node:net";

/**
 * Starts `server` listening on `host`:`port` (0 picks a free port) and resolves with the bound
 * TCP address. Rejects with the listen error (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`).
 */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error(`expected a TCP address, got ${String(address)}`));
        return;
      }
      resolve(address);
    });
  });
}
