// What ring maintenance asks its neighbours, answers verified: successor(n + 1) through any
// member, NOTIFY (which carries our predecessor list and answers with the notified peer's
// pointers), GET_NEIGHBORS; and the walk back from a candidate successor to the closest one
// those answers show, then Zave's adopt. Join, stabilize, rejoin and partition healing all
// find their place this way.
import { ErrorCode, MessageType, type Neighbors, type PeerInfo } from '../../protocol/chord.js'
import { MAX_PEERS_PER_MESSAGE } from '../../protocol/constants.js'
import { BadRequestError, ChordError } from '../../protocol/errors.js'
import { fromWire, toWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import { idToBytes, mod } from '../../protocol/ring.js'
import type { RpcClient, RpcTarget } from '../rpc/client.js'
import { isCloserSuccessor } from './closerSuccessor.js'
import type { RingState } from './ringState.js'

export interface NeighboursInit {
  ring: RingState
  rpc: RpcClient
  verify: VerifyOptions
  /** Deadline of one NOTIFY or GET_NEIGHBORS, ms. */
  rpcTimeoutMs: number
}

/** A peer's GET_NEIGHBORS answer, verified. */
export interface Neighborhood { self: PeerRef, predecessor?: PeerRef, successors: PeerRef[] }

/** The predecessor list is resent to the successor at least this often, ms, even unchanged. */
export const PREDECESSORS_REFRESH_MS = 30_000

/** What we last told our successor of our predecessor list: its version, to whom, when. */
export interface PredecessorsSent { version: number, to: string, at: number }

/**
 * Our predecessor list is the notified peer's list one further back (holderRule.ts needs it).
 * It is sent when it changed or the successor did, and every 30 s; `now` is what would be sent.
 */
export function predecessorsDue (last: PredecessorsSent, now: PredecessorsSent): boolean {
  return last.version !== now.version || last.to !== now.to || now.at - last.at >= PREDECESSORS_REFRESH_MS
}

export class Neighbours {
  readonly #ring: RingState
  readonly #rpc: RpcClient
  readonly #verify: VerifyOptions
  readonly #rpcTimeoutMs: number
  /** What we last told our successor of our predecessor list. */
  #predsSent: PredecessorsSent = { version: -1, to: '', at: 0 }

  constructor (init: NeighboursInit) {
    this.#ring = init.ring
    this.#rpc = init.rpc
    this.#verify = init.verify
    this.#rpcTimeoutMs = init.rpcTimeoutMs
  }

  /** Ask `via` for successor(n + 1): the first peer after us in its ring, as a join does. */
  async successorVia (via: RpcTarget, timeoutMs: number, signal?: AbortSignal): Promise<PeerRef> {
    const found = await this.#rpc.request(via, MessageType.FIND_SUCCESSOR, { target: idToBytes(mod(this.#ring.self.id + 1n)), hops: 1, fingersOnly: false, maintenance: true }, { timeoutMs, signal, tag: 'maintenance' })
    return fromWire(found.owner, this.#verify)
  }

  async neighborsOf (peer: RpcTarget, signal?: AbortSignal): Promise<Neighborhood> {
    return this.#verifyNeighbors(peer, await this.#rpc.request(peer, MessageType.GET_NEIGHBORS, {}, { timeoutMs: this.#rpcTimeoutMs, signal }))
  }

  /**
   * Notify `peer` that we may be its predecessor; its answer carries its pointers after
   * rectify, which is what stabilize reads, so stabilize + notify is one round trip.
   */
  async notify (peer: RpcTarget, signal?: AbortSignal): Promise<Neighborhood> {
    const predecessors = this.#predecessorsFor(peer.peerId, Date.now())
    const res = await this.#rpc.request(peer, MessageType.NOTIFY, { self: toWire(this.#ring.self), predecessors }, { timeoutMs: this.#rpcTimeoutMs, signal })
      .catch(err => { this.#predsSent.to = ''; throw err })
    // A refused notify dropped the list with it: send it again with the next one.
    if (!res.accepted) this.#predsSent.to = ''
    return this.#verifyNeighbors(peer, res.neighbors)
  }

  /** Our predecessor list for the peer we notify, or none when it already has it (predecessorsDue). */
  #predecessorsFor (peerId: string, now: number): PeerInfo[] {
    const ring = this.#ring
    const next = { version: ring.predecessorsVersion, to: peerId, at: now }
    if (!predecessorsDue(this.#predsSent, next)) return []
    this.#predsSent = next
    return ring.predecessors.map(toWire)
  }

  #verifyNeighbors (peer: RpcTarget, nb: Neighbors | undefined): Neighborhood {
    if (nb == null) throw new BadRequestError('answer carries no neighbors')
    if (nb.successors.length > MAX_PEERS_PER_MESSAGE) throw new BadRequestError('successor list too long')
    const self = fromWire(nb.self, this.#verify)
    if (self.peerId !== peer.peerId) throw new ChordError(ErrorCode.ID_MISMATCH, `asked ${peer.peerId.slice(-6)}, answered by ${self.peerId.slice(-6)}`)
    return {
      self,
      predecessor: nb.predecessor == null ? undefined : fromWire(nb.predecessor, this.#verify),
      successors: nb.successors.map(s => fromWire(s, this.#verify))
    }
  }

  /**
   * While the candidate successor's predecessor lies between us and it, that peer is a
   * closer successor: move to it. Stoica et al.'s stabilize takes one such step a round;
   * taking up to r steps at once lets a burst of joins settle in one round instead of
   * one round per joiner. Each step is the same check, so the result is the same.
   */
  async #walkBack (start: Neighborhood, signal?: AbortSignal): Promise<Neighborhood> {
    const self = this.#ring.self
    let cur = start
    for (let step = 0; step < this.#ring.successors.length; step++) {
      const x = cur.predecessor
      if (x == null || !isCloserSuccessor(self, cur.self, x)) break
      const nx = await this.notify(x, signal).catch(() => undefined)
      if (nx == null) break
      cur = nx
    }
    return cur
  }

  /** Notify `succ`, walk back to the closest successor, and adopt its list (Zave's adopt); `why` is logged. */
  async settleAt (succ: RpcTarget, why: string, signal?: AbortSignal): Promise<Neighborhood> {
    return this.adoptClosest(await this.notify(succ, signal), why, signal)
  }

  /** Walk back from a notified successor's answer and adopt the closest one's list; `why` is logged. */
  async adoptClosest (start: Neighborhood, why: string, signal?: AbortSignal): Promise<Neighborhood> {
    const nb = await this.#walkBack(start, signal)
    this.#ring.adoptSuccessors(nb.self, nb.successors, why)
    return nb
  }
}
