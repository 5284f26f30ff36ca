// In-neighbours as routing candidates (docs/choking.md, "the trap"): the peers that send us
// lookups sit behind us on the ring (q = p - 2^i), so for targets in (q, p) they are closer
// than any finger of ours. Routing through them makes the pairs that forward for each other
// observe each other, which is what tit-for-tat needs to see.
// Routing reads `list()` at every hop, so it is a kept array; pruning runs in the background.
import { hashToId } from '../../protocol/ring.js'
import { peerIdBytes, type PeerRef } from '../../protocol/peerInfo.js'

export interface InNeighboursOptions {
  /** Most remembered (the oldest is dropped). Default 64. */
  maxPeers?: number
  /** Forgotten after this long unheard, ms. Default 30 s. */
  ttlMs?: number
  /** Never a candidate (e.g. judged non-contributors). */
  skip?: (peerId: string) => boolean
  now?: () => number
}

export class InNeighbours {
  readonly #peers = new Map<string, { ref: PeerRef, at: number }>()
  readonly #maxPeers: number
  readonly #ttlMs: number
  readonly #skip: (peerId: string) => boolean
  readonly #now: () => number
  #list: PeerRef[] | undefined = []

  constructor (o: InNeighboursOptions = {}) {
    this.#maxPeers = o.maxPeers ?? 64
    this.#ttlMs = o.ttlMs ?? 30_000
    this.#skip = o.skip ?? (() => false)
    this.#now = o.now ?? Date.now
  }

  /** A request came from this peer over a connection from this address. */
  heard (peerId: string, remoteAddr: string): void {
    const known = this.#peers.get(peerId)
    if (known != null) { known.at = this.#now(); return }
    if (this.#skip(peerId)) return
    if (this.#peers.size >= this.#maxPeers) {
      const oldest = this.#peers.keys().next().value
      if (oldest != null) this.#peers.delete(oldest)
    }
    // Ring id = SHA-1 of the Noise-authenticated peer id; the live connection is reused to reach it.
    this.#peers.set(peerId, { ref: { peerId, id: hashToId(peerIdBytes(peerId)), addrs: [remoteAddr] }, at: this.#now() })
    this.#list = undefined
  }

  /** The candidates, as of the last change. */
  list (): readonly PeerRef[] {
    this.#list ??= [...this.#peers.values()].map(e => e.ref)
    return this.#list
  }

  /** Drop peers unheard for ttlMs and those `skip` now rules out (run periodically). */
  prune (): void {
    const cutoff = this.#now() - this.#ttlMs
    for (const [id, e] of this.#peers) if (e.at < cutoff || this.#skip(id)) { this.#peers.delete(id); this.#list = undefined }
  }

  forget (peerId: string): void {
    if (this.#peers.delete(peerId)) this.#list = undefined
  }
}
