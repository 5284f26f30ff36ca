// Partition healing (Stoica et al. 2003, section IV-E): two rings that a partition made merge
// once a peer of one asks a remembered peer of the other for its place (memberMemory.ts says
// whom to ask).
import type { Logger } from 'pino'
import { describe, type PeerRef } from '../../protocol/peerInfo.js'
import { isCloserSuccessor } from './closerSuccessor.js'
import type { Membership } from './membership.js'
import type { Neighbours } from './neighbours.js'
import type { RingState } from './ringState.js'

export interface HealingInit {
  ring: RingState
  neighbours: Neighbours
  membership: Membership
  log: Logger
  /** Deadline of one check of a remembered member, ms. */
  rpcTimeoutMs: number
}

export class Healing {
  readonly #i: HealingInit

  constructor (init: HealingInit) {
    this.#i = init
  }

  /**
   * Ask members the ring lost (found dead) and no longer talks to, and the bootstrap peers,
   * for successor(n + 1) in their ring. An answer between us and our successor means another
   * ring holds peers that belong here: adopt it as successor, as a join would, and stabilize
   * zips the two rings into one. At most `limit` members a round, each bounded by one RPC
   * timeout; one that does not answer backs off. Returns the merges made.
   */
  async heal (limit: number, signal?: AbortSignal): Promise<number> {
    const { ring, neighbours } = this.#i
    if (!this.#i.membership.joined) return 0
    const self = ring.self
    // Suspects count too: after a partition the other side is exactly that.
    const due = ring.memory.candidates(id => id === self.peerId || ring.inView(id), limit)
    let merged = 0
    for (const via of due) {
      let found: PeerRef
      try {
        found = await neighbours.successorVia(via, this.#i.rpcTimeoutMs, signal)
        ring.memory.answered(via.peerId)
      } catch (err) {
        if (signal?.aborted === true) throw err
        ring.memory.failed(via.peerId)
        continue
      }
      if (!isCloserSuccessor(self, ring.successor(), found)) continue
      try {
        const nb = await neighbours.settleAt(found, 'merge', signal)
        merged++
        this.#i.log.info({ event: 'merge', via: describe(via), successor: describe(nb.self) }, 'a remembered member\'s ring has a closer successor: merging rings')
      } catch (err) {
        if (signal?.aborted === true) throw err
      }
    }
    return merged
  }
}
