// Lookups: recursive (each hop forwards and relays the answer back) and iterative
// (the originator asks each hop for its next hop). Both skip failed candidates in order
// of closeness, within the lookup's deadline.
//
// Deadlines: each hop gives its next hop a share of what is left — at most one RPC timeout,
// and never more than three quarters, so the quarter kept back is enough to route around a
// next hop that stalls. A hop that times out is suspected (suspects.ts) and not offered as a
// candidate again until it answers, so a stalled peer costs a lookup at most one RPC timeout.
// An answer is checked before it is used: the owner a next hop names must lie where the owner
// of the target can lie, past the target from that hop.
import type { Logger } from 'pino'
import { toString as bytesToString } from 'uint8arrays/to-string'
import { ErrorCode, MessageType, type FindSuccessor, type LookupResult, type NextHop, type NextHopResult } from '../../protocol/chord.js'
import { MAX_HOPS, MAX_PEERS_PER_MESSAGE } from '../../protocol/constants.js'
import { BadRequestError, ChordError, isChoked, isOwnFailure, TimeoutError, UnreachableError } from '../../protocol/errors.js'
import { describe, fromWire, toWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import { bytesToId, idToBytes, inHalfOpen, inOpen, shortId } from '../../protocol/ring.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import type { RingState } from './ringState.js'
import { routeStep } from './routeStep.js'
import type { Suspects } from './suspects.js'
import { isMaintenance, type RequestTag } from '../rpc/requestTag.js'

export interface LookupOptions {
  /** Whose lookup this is, for the meters: the peer's own (access, default) or maintenance's. */
  tag?: 'access' | 'maintenance'
  iterative?: boolean
  fingersOnly?: boolean
  /** Budget for the whole lookup, ms. */
  timeoutMs: number
  signal?: AbortSignal
}

export interface LookupOutcome {
  owner: PeerRef
  /** Forwards from the originator to the owner's predecessor (the final step to the owner is not counted). */
  hops: number
  /** Binary peer ids: originator first, owner's predecessor last (kept binary: base58 at every hop showed in profiles). */
  path: Uint8Array[]
}

export interface RouterInit {
  ring: RingState
  rpc: RpcClient
  verify: VerifyOptions
  log: Logger
  /** Deadline of one hop, ms: no next hop is given more. */
  rpcTimeoutMs: number
  /** Peers that stopped answering: not routed through until they answer again. */
  suspects: Suspects
  /** Time kept back at each hop so an upstream deadline fires after the downstream one, ms. */
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

/** The share of what is left that a next hop gets: the rest routes around it if it stalls. */
const HOP_SHARE = 0.75

/** One lookup's walk: where it goes, how long it may take, whose it is, and what it avoids. */
interface Walk {
  target: bigint
  /** Forwards before this peer (0 at the originator). */
  hops: number
  fingersOnly: boolean
  deadline: number
  tag: RequestTag
  signal?: AbortSignal
}

export class Router {
  readonly #ring: RingState
  readonly #rpc: RpcClient
  readonly #verify: VerifyOptions
  readonly #log: Logger
  readonly #margin: number
  readonly #rpcTimeoutMs: number
  readonly #init: RouterInit

  constructor (init: RouterInit) {
    this.#init = init
    this.#ring = init.ring
    this.#rpc = init.rpc
    this.#verify = init.verify
    this.#log = init.log
    this.#margin = init.hopMarginMs ?? 20
    this.#rpcTimeoutMs = init.rpcTimeoutMs
  }

  async lookup (target: bigint, opts: LookupOptions): Promise<LookupOutcome> {
    const walk: Walk = { target, hops: 0, fingersOnly: opts.fingersOnly ?? false, deadline: Date.now() + opts.timeoutMs, tag: opts.tag ?? 'access', signal: opts.signal }
    return opts.iterative === true ? await this.#iterative(walk) : await this.#recursive(walk)
  }

  /** What a next hop may take of the time left: at most one RPC timeout, and a quarter kept back. */
  #share (deadline: number): number {
    const left = deadline - Date.now() - this.#margin
    return Math.min(this.#rpcTimeoutMs, Math.floor(left * HOP_SHARE))
  }

  async #recursive (w: Walk): Promise<LookupOutcome> {
    const self = this.#ring.self
    const exclude = new Set<string>()
    let choked = 0
    for (;;) {
      const step = this.#step(w.target, w.fingersOnly, exclude)
      if (step.kind === 'owner') return { owner: step.owner, hops: w.hops, path: [toWire(self).peerId] }
      const next = step.candidates[0]
      if (next == null) {
        const owner = this.#ownerPastExcluded(w.target, exclude)
        if (owner != null) return { owner, hops: w.hops, path: [toWire(self).peerId] }
        throw noHop(w.target, choked)
      }
      const budget = this.#share(w.deadline)
      if (budget <= 0) throw new TimeoutError(`lookup of ${shortId(w.target)} ran out of time after ${w.hops} hops`)
      try {
        const res = await this.#rpc.request(next, MessageType.FIND_SUCCESSOR, { target: idToBytes(w.target), hops: w.hops + 1, fingersOnly: w.fingersOnly, maintenance: isMaintenance(w.tag) }, { timeoutMs: budget, signal: w.signal, tag: w.tag })
        const owner = this.#checkOwner(w.target, next, fromWire(res.owner, this.#verify))
        return { owner, hops: res.hops, path: [toWire(self).peerId, ...res.path.slice(0, MAX_HOPS + 1)] }
      } catch (err) {
        if (w.signal?.aborted === true) throw err
        // CHOKED is damage to route around, not a failure: next candidate, nobody marked dead.
        // Forwarders retry only a refusal by the next hop itself (retrying downstream exhaustion
        // at every hop would search a tree of the ring); the originator retries either; a few times.
        if (isChoked(err)) {
          if ((w.hops > 0 && !isOwnRefusal(err)) || ++choked > MAX_CHOKED_SKIPS) throw noHop(w.target, Math.max(1, choked))
          exclude.add(next.peerId)
          continue
        }
        if (err instanceof WrongAnswerError) {
          this.#suspect(next, err)
          exclude.add(next.peerId)
          continue
        }
        if (!isOwnFailure(err)) {
          // The next hop answered: something further on failed or ran out of time. That is not
          // its fault; a forwarder relays it, the originator tries another first hop in its reserve.
          if (w.hops > 0 || !(err instanceof ChordError) || (err.code !== ErrorCode.TIMEOUT && err.code !== ErrorCode.UNREACHABLE)) throw err
          exclude.add(next.peerId)
          continue
        }
        this.#skip(next, err as Error)
        exclude.add(next.peerId)
      }
    }
  }

  /**
   * Iterative: ask each hop for its next hop. A candidate that fails (silent, or an answer
   * that cannot be right) is avoided from then on, and the peer that offered it is asked
   * again with the avoid list, so a bad predecessor of the target is routed around by the
   * one peer that knows what lies past it (its successor list).
   */
  async #iterative (w: Walk): Promise<LookupOutcome> {
    const path: Uint8Array[] = [toWire(this.#ring.self).peerId]
    const exclude = new Set<string>()
    const avoid = new Map<string, Uint8Array>()
    /** Peer id -> the size of `avoid` when we last asked it: asked again only once avoid grew. */
    const asked = new Map<string, number>()
    const first = this.#step(w.target, w.fingersOnly, exclude)
    if (first.kind === 'owner') return { owner: first.owner, hops: 0, path }
    let frontier: Array<{ peer: PeerRef, from?: PeerRef }> = first.candidates.map(peer => ({ peer }))
    let choked = 0
    const usable = (e: { peer: PeerRef }): boolean => !exclude.has(e.peer.peerId) && asked.get(e.peer.peerId) !== avoid.size
    for (let steps = 0; steps <= MAX_HOPS; steps++) {
      const entry = frontier.find(e => usable(e) && !this.#init.suspects.has(e.peer.peerId)) ?? frontier.find(usable)
      if (entry == null) {
        const owner = this.#ownerPastExcluded(w.target, exclude)
        if (owner != null) return { owner, hops: path.length - 1, path }
        throw noHop(w.target, choked)
      }
      const next = entry.peer
      const budget = this.#share(w.deadline)
      if (budget <= 0) throw new TimeoutError(`lookup of ${shortId(w.target)} ran out of time after ${path.length - 1} hops`)
      let owner: PeerRef | undefined
      let fresh: PeerRef[]
      asked.set(next.peerId, avoid.size)
      try {
        const res = await this.#rpc.request(next, MessageType.NEXT_HOP, { target: idToBytes(w.target), fingersOnly: w.fingersOnly, maintenance: isMaintenance(w.tag), avoid: [...avoid.values()] as Array<Uint8Array<ArrayBuffer>> }, { timeoutMs: budget, signal: w.signal, tag: w.tag })
        if (res.candidates.length > MAX_PEERS_PER_MESSAGE) throw new WrongAnswerError('too many candidates in NEXT_HOP reply')
        owner = res.owner == null ? undefined : this.#checkOwner(w.target, next, fromWire(res.owner, this.#verify))
        // A candidate must be closer to the target than the peer that offers it: every step makes progress.
        fresh = res.candidates.map(c => fromWire(c, this.#verify)).filter(c => c.peerId !== this.#ring.self.peerId && !avoid.has(c.peerId) && inOpen(c.id, next.id, w.target))
      } catch (err) {
        if (w.signal?.aborted === true) throw err
        if (isChoked(err)) {
          if (++choked > MAX_CHOKED_SKIPS) throw noHop(w.target, choked)
          exclude.add(next.peerId)
          continue
        }
        if (err instanceof WrongAnswerError) this.#suspect(next, err)
        else if (!isOwnFailure(err)) throw err
        else this.#skip(next, err as Error)
        exclude.add(next.peerId)
        if (avoid.size < MAX_AVOID) avoid.set(next.peerId, toWire(next).peerId)
        // Ask the peer that offered it again, now avoiding it.
        if (entry.from != null) frontier = [{ peer: entry.from }, ...frontier]
        continue
      }
      if (path.length <= MAX_HOPS) path.push(toWire(next).peerId)
      if (owner != null) return { owner, hops: path.length - 1, path }
      // Keep the old frontier behind the new one: if every new candidate fails we back off a step.
      frontier = [...fresh.map(peer => ({ peer, from: next })), ...frontier.filter(e => e.peer.peerId !== next.peerId)]
    }
    throw new ChordError(ErrorCode.UNREACHABLE, `lookup of ${shortId(w.target)} exceeded ${MAX_HOPS} hops`)
  }

  /**
   * The owner `via` names for `target` must lie in the interval the target's owner lies in:
   * past the target, seen from `via` (target in (via, owner]), and not `via` itself (`via`
   * lies before the target: it was a candidate in (self, target)).
   */
  #checkOwner (target: bigint, via: PeerRef, owner: PeerRef): PeerRef {
    if (owner.peerId === via.peerId || !inHalfOpen(target, via.id, owner.id)) {
      throw new WrongAnswerError(`${describe(via)} named ${describe(owner)} as owner of ${shortId(target)}, which cannot own it`)
    }
    this.#ring.memory.saw(owner, this.#ring.self.peerId)
    return owner
  }

  /** One routing step; suspects are skipped unless nothing else is left. */
  #step (target: bigint, fingersOnly: boolean, exclude: ReadonlySet<string>): ReturnType<typeof routeStep> {
    const suspects = this.#init.suspects
    const input = {
      self: this.#ring.self,
      successors: this.#ring.successors.entries,
      fingers: this.#ring.fingers.distinct(),
      extra: this.#init.extraCandidates?.(),
      target,
      fingersOnly
    }
    const step = routeStep({ ...input, exclude: { has: id => exclude.has(id) || suspects.has(id) } })
    if (step.kind === 'owner' || step.candidates.length > 0 || suspects.size === 0) return step
    // Only suspects lead on: our successor list may name the owner past them; else try them anyway.
    const owner = this.#ownerPastExcluded(target, exclude)
    if (owner != null) return { kind: 'owner', owner }
    return routeStep({ ...input, exclude })
  }

  /**
   * Routing around a predecessor of the target that refused us (CHOKED) or did not answer
   * (stalled, dead, suspected): if our successor list spans the target, the entry just past
   * it owns it (Zave: the list holds consecutive members), and we can say so ourselves.
   */
  #ownerPastExcluded (target: bigint, exclude: ReadonlySet<string>): PeerRef | undefined {
    const out = (id: string): boolean => exclude.has(id) || this.#init.suspects.has(id)
    let prev = this.#ring.self
    for (const s of this.#ring.successors.entries) {
      if (inHalfOpen(target, prev.id, s.id)) return out(prev.peerId) && !out(s.peerId) ? s : undefined
      prev = s
    }
    return undefined
  }

  /** The next hop did not answer in time or could not be reached. */
  #skip (peer: PeerRef, err: Error): void {
    this.#log.debug({ peer: describe(peer), err: err.message }, 'next hop failed, trying the next candidate')
    this.#ring.markDead(peer.peerId, `lookup hop failed: ${err.message}`)
    this.#rpc.forget(peer.peerId, { disconnect: true })
    this.#init.onDead?.(peer.peerId)
    this.#init.suspects.suspect(peer)
  }

  /** The next hop answered something that cannot be right: route around it, but it is alive. */
  #suspect (peer: PeerRef, err: Error): void {
    this.#log.debug({ peer: describe(peer), err: err.message }, 'next hop answered wrongly, trying the next candidate')
    this.#init.onDead?.(peer.peerId)
    this.#init.suspects.suspect(peer, 'wrong')
  }

  /** FIND_SUCCESSOR: route one step and forward, relaying the answer back (recursive). */
  readonly handleFindSuccessor = async (req: FindSuccessor, ctx: RequestContext): Promise<LookupResult> => {
    const target = bytesToId(checkTarget(req.target))
    if (req.hops > MAX_HOPS) throw new ChordError(ErrorCode.UNREACHABLE, `lookup exceeded ${MAX_HOPS} hops`)
    // Forwarding someone else's lookup: R, whatever the lookup is for.
    const out = await this.#recursive({ target, hops: req.hops, fingersOnly: req.fingersOnly, deadline: Date.now() + ctx.deadlineMs, tag: req.maintenance ? 'forwarded-maintenance' : 'forwarding', signal: ctx.signal })
    return { owner: toWire(out.owner), hops: out.hops, path: out.path as Array<Uint8Array<ArrayBuffer>> }
  }

  /**
   * NEXT_HOP: one routing step for an iterative lookup; suspects and the peers the asker
   * avoids are not offered, and when they were all there was, our successor list may name
   * the owner past them.
   */
  readonly handleNextHop = async (req: NextHop): Promise<NextHopResult> => {
    const target = bytesToId(checkTarget(req.target))
    if (req.avoid.length > MAX_AVOID) throw new BadRequestError(`at most ${MAX_AVOID} peers to avoid`)
    const avoid = new Set(req.avoid.map(b => { try { return bytesToString(b, 'base58btc') } catch { return '' } }))
    const step = this.#step(target, req.fingersOnly, avoid)
    if (step.kind === 'owner') return { owner: toWire(step.owner), candidates: [] }
    if (step.candidates.length === 0) {
      const owner = this.#ownerPastExcluded(target, avoid)
      if (owner != null) return { owner: toWire(owner), candidates: [] }
    }
    return { candidates: step.candidates.filter(c => !this.#init.suspects.has(c.peerId)).slice(0, 8).map(toWire) }
  }
}

/** Peers an iterative lookup asks its hops to route around, at most. */
const MAX_AVOID = 16

/** Next hops that refused us tried in one lookup step before giving up (bounds the extra RPCs). */
const MAX_CHOKED_SKIPS = 3

const isOwnRefusal = (err: unknown): boolean => err instanceof ChordError && err.code === ErrorCode.CHOKED

/** Out of candidates: CHOKED if any refused us (so the requester routes around us, not marks us dead). */
function noHop (target: bigint, choked: number): ChordError {
  if (choked > 0) return new ChordError(ErrorCode.ROUTE_CHOKED, `every next hop toward ${shortId(target)} choked us (${choked})`)
  return new UnreachableError(`no live next hop toward ${shortId(target)}`)
}

function checkTarget (target: Uint8Array): Uint8Array {
  if (target.length !== 20) throw new BadRequestError(`target must be 20 bytes, got ${target.length}`)
  return target
}
