// Keeping the predecessor right: Zave's rectify when a peer notifies us (rectify.ts holds the
// rule), and Stoica et al.'s check_predecessor (2001 fig. 7). Both ask whether the predecessor
// is alive, so they share one liveness ping and the time it was last heard from.
import { ErrorCode, MessageType, type Notify, type NotifyResult } from '../../protocol/chord.js'
import { MAX_PEERS_PER_MESSAGE } from '../../protocol/constants.js'
import { BadRequestError, ChordError, isPeerFailure } from '../../protocol/errors.js'
import { fromWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import { rectify } from './rectify.js'
import type { RingState } from './ringState.js'
import type { Suspects } from './suspects.js'

export interface PredecessorWatchInit {
  ring: RingState
  /** Pings the predecessor and drops the connection of a dead one. */
  rpc: Pick<RpcClient, 'request' | 'forget'>
  verify: VerifyOptions
  /** Peers that stopped answering (routing skips them until they answer again). */
  suspects: Suspects
  /** Deadline of one liveness ping, ms. */
  rpcTimeoutMs: number
  /** Period of check-predecessor, ms: a predecessor heard within it is alive without a ping. */
  checkPredecessorMs: number
  /** Called when a new predecessor is adopted, so keys it now owns can move to it. */
  onPredecessorChanged: (pred: PeerRef) => void
}

export class PredecessorWatch {
  readonly #i: PredecessorWatchInit
  /** Time the predecessor last notified us. */
  #heardAt = 0
  /** One liveness ping of the predecessor at a time, however many notifies ask for it. */
  #ping: Promise<boolean> | undefined

  constructor (init: PredecessorWatchInit) {
    this.#i = init
  }

  /**
   * Zave's rectify: adopt the notifier if we have no predecessor, it lies between, or the old
   * one is dead. "Dead" is decided by at most one ping in flight, and none while the
   * predecessor was heard from lately, so notifies from anyone cannot make us ping for them.
   */
  readonly handleNotify = async (req: Notify, ctx: RequestContext): Promise<NotifyResult> => {
    const { ring, verify } = this.#i
    const p = fromWire(req.self, verify)
    if (p.peerId !== ctx.remotePeer) throw new ChordError(ErrorCode.ID_MISMATCH, 'notify must come from the peer it names')
    const answer = (accepted: boolean): NotifyResult => ({ accepted, neighbors: ring.neighbors() })
    const pred = ring.predecessor
    let decision = rectify({ self: ring.self, predecessor: pred, notifier: p })
    if (decision === 'askAlive' && pred != null) {
      const predecessorAlive = await this.#predecessorAlive(pred, Math.min(this.#i.rpcTimeoutMs, ctx.deadlineMs / 2), ctx.signal)
      decision = rectify({ self: ring.self, predecessor: pred, notifier: p, predecessorAlive })
    }
    if (decision !== 'adopt') return answer(false)
    const changed = pred?.peerId !== p.peerId
    ring.setPredecessor(p, 'notify')
    this.#heardAt = Date.now()
    if (req.predecessors.length > MAX_PEERS_PER_MESSAGE) throw new BadRequestError('predecessor list too long')
    // An empty list means the notifier's list is unchanged since it last sent it (neighbours.ts predecessorsDue).
    if (req.predecessors.length > 0) ring.adoptPredecessors(p, req.predecessors.map(q => fromWire(q, verify)))
    if (changed) this.#i.onPredecessorChanged(p)
    return answer(true)
  }

  /**
   * Stoica et al. fig. 7 check_predecessor: forget a predecessor that does not answer.
   * A notify from it within the last period already proved it alive: no ping then.
   */
  async check (periodMs: number, signal?: AbortSignal): Promise<void> {
    const { ring, rpc } = this.#i
    const pred = ring.predecessor
    if (pred == null) return
    if (Date.now() - this.#heardAt < periodMs) return
    if (!(await this.#predecessorAlive(pred, this.#i.rpcTimeoutMs, signal))) {
      ring.markDead(pred.peerId, 'predecessor did not answer')
      rpc.forget(pred.peerId, { disconnect: true })
      this.#i.suspects.suspect(pred)
    }
  }

  /** Is our predecessor alive? Heard from within a check period: yes; otherwise one shared ping decides. */
  async #predecessorAlive (pred: PeerRef, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (Date.now() - this.#heardAt < this.#i.checkPredecessorMs) return true
    this.#ping ??= this.#alive(pred, Math.max(1, timeoutMs), signal).finally(() => { this.#ping = undefined })
    const alive = await this.#ping
    if (alive && this.#i.ring.predecessor?.peerId === pred.peerId) this.#heardAt = Date.now()
    return alive
  }

  async #alive (peer: PeerRef, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#i.rpc.request(peer, MessageType.PING, {}, { timeoutMs, signal })
      return true
    } catch (err) {
      return !isPeerFailure(err)
    }
  }
}
