// A lookup's hops, one at a time (lookups.ts walks them): the candidates a routing step offers
// with suspects left out, how long the next hop may take (hopShare.ts), whether the owner it
// names can be right, and what becomes of a hop that fails. A hop silent for a whole RPC
// timeout is suspected (suspects.ts) and not offered as a candidate again until it answers, so
// a stalled peer costs a lookup at most one RPC timeout.
import type { Logger } from 'pino'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import { describe, type PeerRef } from '../../protocol/peerInfo.js'
import { shortId } from '../../protocol/ring.js'
import type { RpcClient } from '../rpc/client.js'
import { hopShare } from './hopShare.js'
import type { RingState } from './ringState.js'
import { canOwn, ownerPastExcluded, routeStep } from './routeStep.js'
import type { Suspects } from './suspects.js'

export interface HopsInit {
  ring: RingState
  /** Forgets our stream to a hop that failed. */
  rpc: Pick<RpcClient, 'forget'>
  log: Logger
  /** Deadline of one hop, ms: no next hop is given more. */
  rpcTimeoutMs: number
  /** Peers that stopped answering: not routed through until they answer again. */
  suspects: Suspects
  /**
   * Time kept back at each hop so an upstream deadline fires after the downstream one, ms.
   * @default 20
   */
  hopMarginMs?: number
  /** More routing candidates (in-neighbours, docs/choking.md); not used when routing over fingers only. */
  extraCandidates?: () => readonly PeerRef[]
  /** A candidate failed (not a CHOKED answer: that is no failure). */
  onDead?: (peerId: string) => void
}

/** A next hop's answer that cannot be right: an owner where the target's owner cannot be. */
export class WrongAnswerError extends ChordError {
  override name = 'WrongAnswerError'
  constructor (message: string) { super(ErrorCode.UNREACHABLE, message) }
}

export class Hops {
  readonly #i: HopsInit
  readonly #margin: number

  constructor (init: HopsInit) {
    this.#i = init
    this.#margin = init.hopMarginMs ?? 20
  }

  /** What a next hop may take of the time left before `deadline` (hopShare.ts), ms. */
  share (deadline: number): number {
    return hopShare({ leftMs: deadline - Date.now() - this.#margin, rpcTimeoutMs: this.#i.rpcTimeoutMs })
  }

  /** One routing step; suspects are skipped unless nothing else is left. */
  step (target: bigint, fingersOnly: boolean, exclude: ReadonlySet<string>): ReturnType<typeof routeStep> {
    const { ring, suspects } = this.#i
    const input = {
      self: ring.self,
      successors: ring.successors.entries,
      fingers: ring.fingers.distinct(),
      extra: this.#i.extraCandidates?.(),
      target,
      fingersOnly
    }
    const step = routeStep({ ...input, exclude: { has: id => exclude.has(id) || suspects.has(id) } })
    if (step.kind === 'owner' || step.candidates.length > 0 || suspects.size === 0) return step
    // Only suspects lead on: our successor list may name the owner past them; else try them anyway.
    const owner = this.ownerPastExcluded(target, exclude)
    if (owner != null) return { kind: 'owner', owner }
    return routeStep({ ...input, exclude })
  }

  /** The owner past the peers in `exclude` and the suspects, if our successor list spans the target (routeStep.ts). */
  ownerPastExcluded (target: bigint, exclude: ReadonlySet<string>): PeerRef | undefined {
    const { ring, suspects } = this.#i
    return ownerPastExcluded({ self: ring.self, successors: ring.successors.entries, target, out: { has: id => exclude.has(id) || suspects.has(id) } })
  }

  /** `owner`, if `via` could name it the owner of `target` (routeStep.ts canOwn); remembered as a member. */
  checkOwner (target: bigint, via: PeerRef, owner: PeerRef): PeerRef {
    if (!canOwn({ target, via, owner })) {
      throw new WrongAnswerError(`${describe(via)} named ${describe(owner)} as owner of ${shortId(target)}, which cannot own it`)
    }
    this.#i.ring.memory.saw(owner, this.#i.ring.self.peerId)
    return owner
  }

  /**
   * The next hop did not answer within the `budgetMs` it was given, or could not be reached.
   * A timeout on less than a full RPC timeout says little about the peer (the share shrinks
   * hop by hop, and on a loaded machine every hop is slow): it is routed around for this
   * lookup only. Otherwise it is marked dead and suspected, and our stream to it forgotten.
   * Its connection is not aborted: that would fail every other request in flight between the
   * two peers, both ways, and under load those failures fed each other until a ring of 128
   * never converged (issue 13's diagnosis). The liveness checks, which are about the peer
   * itself, do abort it (predecessorWatch.ts, stabilize.ts).
   */
  failed (peer: PeerRef, err: Error, budgetMs: number): void {
    const timedOut = err instanceof ChordError && err.code === ErrorCode.TIMEOUT
    if (timedOut && budgetMs < this.#i.rpcTimeoutMs) {
      this.#i.log.debug({ peer: describe(peer), budgetMs, err: err.message }, 'next hop ran out of its share, trying the next candidate')
      return
    }
    this.#i.log.debug({ peer: describe(peer), err: err.message }, 'next hop failed, trying the next candidate')
    this.#i.ring.markDead(peer.peerId, `lookup hop failed: ${err.message}`)
    this.#i.rpc.forget(peer.peerId)
    this.#i.onDead?.(peer.peerId)
    this.#i.suspects.suspect(peer)
  }

  /** The next hop answered something that cannot be right: route around it, but it is alive. */
  wrong (peer: PeerRef, err: Error): void {
    this.#i.log.debug({ peer: describe(peer), err: err.message }, 'next hop answered wrongly, trying the next candidate')
    this.#i.onDead?.(peer.peerId)
    this.#i.suspects.suspect(peer, 'wrong')
  }
}
