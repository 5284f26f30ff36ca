// Lookups: recursive (each hop forwards and relays the answer back) and iterative
// (the originator asks each hop for its next hop). Both skip failed candidates in order
// of closeness, within the lookup's deadline.
//
// Deadlines: each hop gives its next hop a share of what is left — at most one RPC timeout,
// and never more than three quarters, so the quarter kept back is enough to route around a
// next hop that stalls (hopShare.ts). A hop that times out is suspected (suspects.ts) and not
// offered as a candidate again until it answers, so a stalled peer costs a lookup at most one
// RPC timeout. An answer is checked before it is used: the owner a next hop names must lie
// where the owner of the target can lie, past the target from that hop (hops.ts).
import { toString as bytesToString } from 'uint8arrays/to-string'
import { ErrorCode, MessageType, type FindSuccessor, type LookupResult, type NextHop, type NextHopResult } from '../../protocol/chord.js'
import { MAX_HOPS, MAX_PEERS_PER_MESSAGE } from '../../protocol/constants.js'
import { BadRequestError, ChordError, isChoked, isOwnFailure, TimeoutError, UnreachableError } from '../../protocol/errors.js'
import { fromWire, toWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import { bytesToId, idToBytes, inOpen, shortId } from '../../protocol/ring.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import { Hops, WrongAnswerError, type HopsInit } from './hops.js'
import type { RingState } from './ringState.js'
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

/** What a Router needs: what its hops need (hops.ts), the client that asks them, and how to verify the peers their answers name. */
export interface RouterInit extends HopsInit {
  rpc: RpcClient
  verify: VerifyOptions
}

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
  readonly #suspects: RouterInit['suspects']
  readonly #hops: Hops

  constructor (init: RouterInit) {
    this.#ring = init.ring
    this.#rpc = init.rpc
    this.#verify = init.verify
    this.#suspects = init.suspects
    this.#hops = new Hops(init)
  }

  async lookup (target: bigint, opts: LookupOptions): Promise<LookupOutcome> {
    const walk: Walk = { target, hops: 0, fingersOnly: opts.fingersOnly ?? false, deadline: Date.now() + opts.timeoutMs, tag: opts.tag ?? 'access', signal: opts.signal }
    return opts.iterative === true ? await this.#iterative(walk) : await this.#recursive(walk)
  }

  async #recursive (w: Walk): Promise<LookupOutcome> {
    const self = this.#ring.self
    const exclude = new Set<string>()
    let choked = 0
    for (;;) {
      const step = this.#hops.step(w.target, w.fingersOnly, exclude)
      if (step.kind === 'owner') return { owner: step.owner, hops: w.hops, path: [toWire(self).peerId] }
      const next = step.candidates[0]
      if (next == null) {
        const owner = this.#hops.ownerPastExcluded(w.target, exclude)
        if (owner != null) return { owner, hops: w.hops, path: [toWire(self).peerId] }
        throw noHop(w.target, choked)
      }
      const budget = this.#hops.share(w.deadline)
      if (budget <= 0) throw new TimeoutError(`lookup of ${shortId(w.target)} ran out of time after ${w.hops} hops`)
      try {
        const res = await this.#rpc.request(next, MessageType.FIND_SUCCESSOR, { target: idToBytes(w.target), hops: w.hops + 1, fingersOnly: w.fingersOnly, maintenance: isMaintenance(w.tag) }, { timeoutMs: budget, signal: w.signal, tag: w.tag })
        const owner = this.#hops.checkOwner(w.target, next, fromWire(res.owner, this.#verify))
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
          this.#hops.wrong(next, err)
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
        this.#hops.failed(next, err as Error, budget)
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
    const first = this.#hops.step(w.target, w.fingersOnly, exclude)
    if (first.kind === 'owner') return { owner: first.owner, hops: 0, path }
    let frontier: Array<{ peer: PeerRef, from?: PeerRef }> = first.candidates.map(peer => ({ peer }))
    let choked = 0
    const usable = (e: { peer: PeerRef }): boolean => !exclude.has(e.peer.peerId) && asked.get(e.peer.peerId) !== avoid.size
    for (let steps = 0; steps <= MAX_HOPS; steps++) {
      const entry = frontier.find(e => usable(e) && !this.#suspects.has(e.peer.peerId)) ?? frontier.find(usable)
      if (entry == null) {
        const owner = this.#hops.ownerPastExcluded(w.target, exclude)
        if (owner != null) return { owner, hops: path.length - 1, path }
        throw noHop(w.target, choked)
      }
      const next = entry.peer
      const budget = this.#hops.share(w.deadline)
      if (budget <= 0) throw new TimeoutError(`lookup of ${shortId(w.target)} ran out of time after ${path.length - 1} hops`)
      let owner: PeerRef | undefined
      let fresh: PeerRef[]
      asked.set(next.peerId, avoid.size)
      try {
        const res = await this.#rpc.request(next, MessageType.NEXT_HOP, { target: idToBytes(w.target), fingersOnly: w.fingersOnly, maintenance: isMaintenance(w.tag), avoid: [...avoid.values()] as Array<Uint8Array<ArrayBuffer>> }, { timeoutMs: budget, signal: w.signal, tag: w.tag })
        if (res.candidates.length > MAX_PEERS_PER_MESSAGE) throw new WrongAnswerError('too many candidates in NEXT_HOP reply')
        owner = res.owner == null ? undefined : this.#hops.checkOwner(w.target, next, fromWire(res.owner, this.#verify))
        // A candidate must be closer to the target than the peer that offers it: every step makes progress.
        fresh = res.candidates.map(c => fromWire(c, this.#verify)).filter(c => c.peerId !== this.#ring.self.peerId && !avoid.has(c.peerId) && inOpen(c.id, next.id, w.target))
      } catch (err) {
        if (w.signal?.aborted === true) throw err
        if (isChoked(err)) {
          if (++choked > MAX_CHOKED_SKIPS) throw noHop(w.target, choked)
          exclude.add(next.peerId)
          continue
        }
        if (err instanceof WrongAnswerError) this.#hops.wrong(next, err)
        else if (!isOwnFailure(err)) throw err
        else this.#hops.failed(next, err as Error, budget)
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
    const step = this.#hops.step(target, req.fingersOnly, avoid)
    if (step.kind === 'owner') return { owner: toWire(step.owner), candidates: [] }
    if (step.candidates.length === 0) {
      const owner = this.#hops.ownerPastExcluded(target, avoid)
      if (owner != null) return { owner: toWire(owner), candidates: [] }
    }
    return { candidates: step.candidates.filter(c => !this.#suspects.has(c.peerId)).slice(0, 8).map(toWire) }
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
