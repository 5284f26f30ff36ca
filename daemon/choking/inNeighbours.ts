// In-neighbours as routing candidates (docs/choking.md, "the trap"): the peers that send us
// lookups sit behind us on the ring (q = p - 2^i), so for targets in (q, p) they are closer
// than any finger of ours. Routing through them makes the pairs that forward for each other
// observe each other, which is what tit-for-tat needs to see.
import { hashToId } from '../../protocol/ring.js'
import { peerIdBytes, type PeerRef } from '../../protocol/peerInfo.js'

export class InNeighbours {
  readonly #peers = new Map<string, { ref: PeerRef, at: number }>()

  /** @param maxPeers most remembered (oldest dropped); @param ttlMs forgotten after this long unheard */
  constructor (readonly maxPeers = 64, readonly ttlMs = 30_000, readonly now: () => number = Date.now) {}

  /** A request came from this peer over a connection from this address. */
  heard (peerId: string, remoteAddr: string): void {
    const known = this.#peers.get(peerId)
    if (known != null) { known.at = this.now(); return }
    if (this.#peers.size >= this.maxPeers) {
      const oldest = this.#peers.keys().next().value
      if (oldest != null) this.#peers.delete(oldest)
    }
    // Ring id = SHA-1 of the Noise-authenticated peer id; the live connection is reused to reach it.
    this.#peers.set(peerId, { ref: { peerId, id: hashToId(peerIdBytes(peerId)), addrs: [remoteAddr] }, at: this.now() })
  }

  /** Recently heard peers, minus those `skip` rules out. */
  list (skip: (peerId: string) => boolean): PeerRef[] {
    const cutoff = this.now() - this.ttlMs
    const out: PeerRef[] = []
    for (const [id, e] of this.#peers) {
      if (e.at < cutoff) { this.#peers.delete(id); continue }
      if (!skip(id)) out.push(e.ref)
    }
    return out
  }

  forget (peerId: string): void { this.#peers.delete(peerId) }
}
