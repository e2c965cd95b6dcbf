/** Every peer, in the order a round visits them (Reel first; rounds rotate the start). */
import { nginxPeer } from "./nginx.js";
import { expressPeer, fastifyPeer, koaNaivePeer, nodeHttpPeer } from "./node-peers.js";
import { reelPeer } from "./reel.js";
import type { PeerDefinition } from "./types.js";

/** All peers of the comparison. */
export const ALL_PEERS: PeerDefinition[] = [
  reelPeer,
  nginxPeer,
  nodeHttpPeer,
  expressPeer,
  fastifyPeer,
  koaNaivePeer,
];

/** The peers named by `ids` (comma list from `--peers`), or all. */
export function selectPeers(ids: string | undefined): PeerDefinition[] {
  if (ids === undefined) {
    return ALL_PEERS;
  }
  const wanted = ids.split(",").map((id) => id.trim());
  const unknown = wanted.filter((id) => !ALL_PEERS.some((peer) => peer.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown peer(s) ${unknown.join(", ")}; known: ${ALL_PEERS.map((p) => p.id).join(", ")}`,
    );
  }
  return ALL_PEERS.filter((peer) => wanted.includes(peer.id));
}
