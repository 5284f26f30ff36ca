// Zave's stabilize ("Reasoning about identifier spaces: how to make Chord correct", IEEE TSE
// 2017): keep the successor list right. The notified side's rectify is predecessorWatch.ts.
import type { Logger } from 'pino'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError, isPeerFailure } from '../../protocol/errors.js'
import { describe, type PeerRef } from '../../protocol/peerInfo.js'
import type { RpcClient } from '../rpc/client.js'
import type { Join } from './join.js'
import type { Membership } from './membership.js'
import type { Neighborhood, Neighbours } from './neighbours.js'
import type { RingState } from './ringState.js'
import type { Suspects } from './suspects.js'

export interface StabilizeInit {
  ring: RingState
  rpc: RpcClient
  neighbours: Neighbours
  membership: Membership
  /** Joins again through the bootstrap peers when no other peer we know answers. */
  join: Join
  /** Peers that stopped answering (routing skips them until they answer again). */
  suspects: Suspects
  log: Logger
  /** Budget of a rejoin's successor(n + 1) lookup, ms. */
  lookupTimeoutMs: number
}

export class Stabilize {
  readonly #i: StabilizeInit

  constructor (init: StabilizeInit) {
    this.#i = init
  }

  /**
   * Zave's stabilize: ask the first live successor for its predecessor and list; a
   * dead successor is dropped and the next one tried. If succ's predecessor lies
   * between us, it becomes our successor. Then notify the successor.
   */
  async stabilize (signal?: AbortSignal): Promise<void> {
    const { ring, neighbours, membership } = this.#i
    if (!membership.joined) return
    const self = ring.self
    if (ring.alone()) {
      // A ring of one learns of a second member only through notify (Stoica et al. fig. 7).
      const pred = ring.predecessor
      if (pred != null) {
        const nb = await neighbours.notify(pred, signal).catch(() => undefined)
        if (nb != null) ring.adoptSuccessors(nb.self, nb.successors, 'stabilize: second member')
      }
      membership.stable()
      return
    }
    for (;;) {
      const succ = ring.successor()
      if (succ.peerId === self.peerId) return
      let nb: Neighborhood
      try {
        nb = await neighbours.notify(succ, signal)
      } catch (err) {
        if (signal?.aborted === true || !isPeerFailure(err)) throw err
        this.#i.rpc.forget(succ.peerId, { disconnect: true })
        this.#i.suspects.suspect(succ)
        if (ring.successors.entries.length <= 1) {
          // Out of successors: find our place again through any other peer we know.
          await this.#rejoin(succ, signal)
          return
        }
        ring.markDead(succ.peerId, `stabilize: ${(err as Error).message}`)
        continue
      }
      await neighbours.adoptClosest(nb, 'stabilize', signal)
      membership.stable()
      return
    }
  }

  /**
   * Every successor failed: ask each other peer we know (fingers, predecessor, the
   * bootstrap peers) for successor(n + 1), as at join. The failed successor stays until a
   * replacement is found, so a peer under load never talks itself into a ring of one.
   */
  async #rejoin (failed: PeerRef, signal?: AbortSignal): Promise<void> {
    const { ring, neighbours, membership } = this.#i
    const self = ring.self
    const known = [...ring.fingers.distinct(), ...(ring.predecessor == null ? [] : [ring.predecessor])]
      .filter(p => p.peerId !== failed.peerId && p.peerId !== self.peerId)
    for (const via of known) {
      try {
        const succ = await neighbours.successorVia(via, this.#i.lookupTimeoutMs, signal)
        if (succ.peerId === self.peerId || succ.peerId === failed.peerId) continue
        const nb = await neighbours.settleAt(succ, 'rejoin', signal)
        membership.stable()
        this.#i.log.info({ event: 'rejoin', via: describe(via), successor: describe(nb.self) }, 'successors failed; found our place again')
        return
      } catch (err) {
        if (signal?.aborted === true) throw err
      }
    }
    if (membership.bootstrap.length > 0) {
      await this.#i.join.join(membership.bootstrap, signal ?? new AbortController().signal)
      return
    }
    throw new ChordError(ErrorCode.UNREACHABLE, `successor ${describe(failed)} failed and no other peer answered`)
  }
}
