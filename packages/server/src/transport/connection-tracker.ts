/**
 * Counts the connections a server accepts, by the protocol each speaks, and can drop them all.
 * `http.Server#closeAllConnections` knows only HTTP/1.1 connections; this works for the TLS
 * server's HTTP/2 sessions and half-done handshakes too, so shutdown is the same for both.
 */
import type { Server } from "node:http";
import type { Http2SecureServer } from "node:http2";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";

/** The protocols Reel speaks on a connection (RFC 7301 ALPN ids). */
export type AlpnProtocol = "h2" | "http/1.1";

/** Accepted connections per protocol, counted since the server was created. */
export type AcceptedConnections = Record<AlpnProtocol, number>;

/** What `trackConnections` hands back. */
export interface ConnectionTracker {
  /**
   * Connections accepted so far: a TLS connection counts once its handshake has picked the
   * protocol by ALPN (a client without ALPN speaks HTTP/1.1), a plain one at accept.
   */
  acceptedConnections(): AcceptedConnections;
  /** Destroys every open connection at once, mid-handshake, mid-request or idle. */
  closeAllConnections(): void;
}

/** Starts tracking `server`'s connections; call before it listens. */
export function trackConnections(
  server: Server | Http2SecureServer,
  tls: boolean,
): ConnectionTracker {
  const accepted: AcceptedConnections = { h2: 0, "http/1.1": 0 };
  const open = new Set<Socket>();
  const hold = (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  };
  server.on("connection", (socket: Socket) => {
    hold(socket);
    if (!tls) {
      accepted["http/1.1"] += 1;
    }
  });
  if (tls) {
    server.on("secureConnection", (socket: TLSSocket) => {
      hold(socket); // the TLS layer over the TCP socket above; destroying it ends the session
      accepted[socket.alpnProtocol === "h2" ? "h2" : "http/1.1"] += 1;
    });
  }
  return {
    acceptedConnections: () => ({ ...accepted }),
    closeAllConnections: () => {
      for (const socket of open) {
        socket.destroy();
      }
    },
  };
}
