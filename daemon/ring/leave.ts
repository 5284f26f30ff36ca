// The graceful leave of Stoica et al. (2003) 4.4, voluntary departure: both sides, the peer
// that leaves and the neighbours it tells (leavingHints.ts checks what they are told).
import type { Logger } from 'pino'
import { ErrorCode, MessageType, type Empty, type Leaving } from '../../protocol/chord.js'
import { MAX_PEERS_PER_MESSAGE } from '../../protocol/constants.js'
import { BadRequestError, ChordError } from '../../protocol/errors.js'
import { describe, fromWire, toWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import { plausiblePredecessor, successorsFit } from './leavingHints.js'
import type { Membership } from './membership.js'
import type { RingState } from './ringState.js'

export interface LeaveInit {
  ring: RingState
  rpc: RpcClient
  membership: Membership
  verify: VerifyOptions
  log: Logger
  /** Deadline of one LEAVING, ms. */
  rpcTimeoutMs: number
}

export class Leave {
  readonly #i: LeaveInit

  constructor (init: LeaveInit) {
    this.#i = init
  }

  /**
   * Graceful leave: the successor first adopts our predecessor (so it owns our keys
   * before they arrive), `handOff` moves the keys, then the predecessor splices in our
   * successor list. Each step is bounded by the signal; a failed step is logged, not fatal.
   */
  async leave (handOff: (to: PeerRef, signal: AbortSignal) => Promise<number>, signal: AbortSignal): Promise<void> {
    const { ring, rpc, log } = this.#i
    if (!this.#i.membership.joined || ring.alone()) return
    const self = ring.self
    const succ = ring.successor()
    const pred = ring.predecessor
    const msg: Leaving = { self: toWire(self), predecessor: pred == null ? undefined : toWire(pred), successors: ring.successors.entries.map(toWire) }
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try { await fn() } catch (err) { log.warn({ err: (err as Error).message }, `leave: ${what} failed`) }
    }
    await step('tell successor', async () => await rpc.request(succ, MessageType.LEAVING, msg, { timeoutMs: this.#i.rpcTimeoutMs, signal }))
    let moved = 0
    await step('hand off keys', async () => { moved = await handOff(succ, signal) })
    // In a ring of two the successor is the predecessor and already has the message.
    if (pred != null && pred.peerId !== succ.peerId) {
      await step('tell predecessor', async () => await rpc.request(pred, MessageType.LEAVING, msg, { timeoutMs: this.#i.rpcTimeoutMs, signal }))
    }
    log.info({ event: 'leave', successor: describe(succ), keysMoved: moved }, 'left the ring')
  }

  /**
   * LEAVING from a neighbour (Stoica et al. 2003 sec. 4.4, voluntary departure). What it says
   * is a hint checked against our own view: a predecessor it names is adopted only if it is
   * the one our predecessor list has behind the leaver, a successor only if it lies where our
   * list says the next one is; otherwise we just drop the leaver and let stabilize and the
   * next notify rebuild the pointers. A neighbour that says it leaves but stays loses its
   * place for about one stabilize round, and can inject no pointers.
   */
  readonly handleLeaving = async (req: Leaving, ctx: RequestContext): Promise<Empty> => {
    const { ring, verify } = this.#i
    const leaver = fromWire(req.self, verify)
    if (leaver.peerId !== ctx.remotePeer) throw new ChordError(ErrorCode.ID_MISMATCH, 'leaving must come from the peer it names')
    if (req.successors.length > MAX_PEERS_PER_MESSAGE) throw new BadRequestError('successor list too long')
    if (ring.predecessor?.peerId === leaver.peerId) {
      const named = req.predecessor == null ? undefined : fromWire(req.predecessor, verify)
      const plausible = plausiblePredecessor({ self: ring.self, leaver, named, behind: ring.predecessors[1] })
      ring.setPredecessor(plausible ? named : undefined, plausible ? 'predecessor left' : 'predecessor left (named no predecessor we can check)')
    }
    if (ring.successors.has(leaver.peerId)) {
      const theirs = req.successors.map(s => fromWire(s, verify)).filter(s => s.peerId !== leaver.peerId && s.peerId !== ring.self.peerId)
      const entries = ring.successors.entries
      const at = entries.findIndex(p => p.peerId === leaver.peerId)
      // Their first successor must be the one after them in our list, or lie between them and it (a peer we have not met yet).
      if (at === 0 && successorsFit({ leaver, next: entries[at + 1], first: theirs[0] })) {
        ring.markDead(leaver.peerId, 'successor left', { leftGracefully: true })
        ring.adoptSuccessors(theirs[0], theirs.slice(1), 'successor left')
      } else {
        ring.markDead(leaver.peerId, 'successor-list member left', { leftGracefully: entries.length > 1 })
      }
    }
    ring.fingers.remove(leaver.peerId)
    this.#i.rpc.forget(leaver.peerId)
    return {}
  }
}
