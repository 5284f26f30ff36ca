// Adaptive maintenance's reactive half (after Rhea et al., "Handling churn in a DHT", USENIX
// 2004: repair on a change, not on a timer). Our successor list is what the peers behind us
// copy into theirs at their next stabilize, and in adaptive mode that can be a long period
// away (maintenanceSchedule.ts). So when our successor list or predecessor changes, we tell
// our predecessor (NEIGHBORS_CHANGED), and the predecessor a new one replaced, to stabilize
// with us soon; each of them that then changes tells its own, so a join or a death travels
// the r peers behind it at the base period. A hint is only a hint: it is taken only from a
// peer in the receiver's successor list, and only makes it run a round it would run anyway.
import { MessageType, type Empty } from '../../protocol/chord.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import type { RingChange, RingState } from './ringState.js'

export interface ChangeHintsInit {
  ring: RingState
  rpc: Pick<RpcClient, 'request'>
  /** Deadline of one hint, ms. */
  rpcTimeoutMs: number
  /** At most one hint per peer this often, ms: the base stabilize period. */
  minGapMs: number
  /** The peer's lifetime. */
  signal: AbortSignal
}

export class ChangeHints {
  readonly #i: ChangeHintsInit
  /** When each peer was last hinted, and the hint held back for it until the gap is over. */
  readonly #last = new Map<string, { at: number, held?: NodeJS.Timeout }>()
  #onHinted: (() => void) | undefined
  #sent = 0

  constructor (init: ChangeHintsInit) {
    this.#i = init
  }

  /** Hints sent so far. */
  get sent (): number { return this.#sent }

  /** Start sending hints on the ring's changes; `onHinted` runs when a successor hints us. */
  start (onHinted: () => void): void {
    this.#onHinted = onHinted
    this.#i.ring.watch(change => { this.#changed(change) })
    this.#i.signal.addEventListener('abort', () => { for (const l of this.#last.values()) clearTimeout(l.held) }, { once: true })
  }

  #changed (change: RingChange): void {
    if (this.#onHinted == null || this.#i.signal.aborted) return
    if (change.kind === 'successors') this.#hint(this.#i.ring.predecessor)
    else if (change.kind === 'predecessor' && change.replaced != null) this.#hint(change.replaced)
  }

  /**
   * At most one hint per peer a gap; a change within the gap is hinted when the gap ends, so
   * the last state is always told (a hint dropped instead would leave the peer behind us with
   * a transient list until its own, stretched, round).
   */
  #hint (peer: PeerRef | undefined): void {
    if (peer == null || peer.peerId === this.#i.ring.self.peerId) return
    const now = Date.now()
    for (const [id, l] of this.#last) if (l.held == null && now - l.at >= this.#i.minGapMs) this.#last.delete(id)
    const last = this.#last.get(peer.peerId)
    if (last == null) { this.#send(peer, now); return }
    if (last.held != null) return
    last.held = setTimeout(() => { this.#send(peer, Date.now()) }, Math.max(0, last.at + this.#i.minGapMs - now))
    last.held.unref()
  }

  #send (peer: PeerRef, now: number): void {
    if (this.#i.signal.aborted) return
    this.#last.set(peer.peerId, { at: now })
    this.#sent++
    // Fire and forget: a peer that does not answer is found by its own stabilize or ours.
    void this.#i.rpc.request(peer, MessageType.NEIGHBORS_CHANGED, {}, { timeoutMs: this.#i.rpcTimeoutMs, signal: this.#i.signal }).catch(() => {})
  }

  /** NEIGHBORS_CHANGED: from a peer of our successor list, stabilize soon; from anyone else, nothing. */
  readonly handle = async (_req: Empty, ctx: RequestContext): Promise<Empty> => {
    if (this.#i.ring.successors.has(ctx.remotePeer)) this.#onHinted?.()
    return {}
  }
}
