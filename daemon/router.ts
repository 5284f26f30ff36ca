// Lookups: recursive (each hop forwards and relays the answer back) and iterative
// (the originator asks each hop for its next hop). Both skip dead candidates in order
// of closeness, within the lookup's deadline.
import type { Logger } from 'pino'
import { ErrorCode, MessageType, type FindSuccessor, type LookupResult, type NextHop, type NextHopResult } from '../protocol/chord.js'
import { MAX_HOPS, MAX_PEERS_PER_MESSAGE } from '../protocol/constants.js'
import { BadRequestError, ChordError, isChoked, isPeerFailure, TimeoutError, UnreachableError } from '../protocol/errors.js'
import { describe, fromWire, toWire, type PeerRef, type VerifyOptions } from '../protocol/peerInfo.js'
import { bytesToId, idToBytes, inHalfOpen, shortId } from '../protocol/ring.js'
import type { RpcClient } from './rpc/client.js'
import type { RequestContext } from './rpc/server.js'
import type { RingState } from './ringState.js'
import { routeStep } from './routing.js'
import type { Tag } from './meters.js'

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
  /** Deadline of one NEXT_HOP query of an iterative lookup, ms. */
  rpcTimeoutMs: number
  /** Time kept back at each hop so an upstream deadline fires after the downstream one, ms. */
  hopMarginMs?: number
  /** More routing candidates (in-neighbours, docs/choking.md); not used when routing over fingers only. */
  extraCandidates?: () => readonly PeerRef[]
  /** A candidate failed (not a CHOKED answer: that is no failure). */
  onDead?: (peerId: string) => void
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
    const deadline = Date.now() + opts.timeoutMs
    const tag = opts.tag ?? 'access'
    return opts.iterative === true
      ? await this.#iterative(target, opts.fingersOnly ?? false, deadline, tag, opts.signal)
      : await this.#recursive(target, 0, opts.fingersOnly ?? false, deadline, tag, tag === 'maintenance', opts.signal)
  }

  async #recursive (target: bigint, hops: number, fingersOnly: boolean, deadline: number, tag: Tag, maintenance: boolean, signal?: AbortSignal): Promise<LookupOutcome> {
    const self = this.#ring.self
    const exclude = new Set<string>()
    let choked = 0
    for (;;) {
      const step = this.#step(target, fingersOnly, exclude)
      if (step.kind === 'owner') return { owner: step.owner, hops, path: [toWire(self).peerId] }
      const next = step.candidates[0]
      if (next == null) {
        const owner = choked > 0 ? this.#ownerPastChoked(target, exclude) : undefined
        if (owner != null) return { owner, hops, path: [toWire(self).peerId] }
        throw noHop(target, choked)
      }
      const budget = deadline - Date.now() - this.#margin
      if (budget <= 0) throw new TimeoutError(`lookup of ${shortId(target)} ran out of time after ${hops} hops`)
      try {
        const res = await this.#rpc.request(next, MessageType.FIND_SUCCESSOR, { target: idToBytes(target), hops: hops + 1, fingersOnly, maintenance }, { timeoutMs: budget, signal, tag, maintenance })
        const owner = fromWire(res.owner, this.#verify)
        return { owner, hops: res.hops, path: [toWire(self).peerId, ...res.path.slice(0, MAX_HOPS + 1)] }
      } catch (err) {
        if (signal?.aborted === true) throw err
        // CHOKED is damage to route around, not a failure: next candidate, nobody marked dead.
        // Forwarders retry only a refusal by the next hop itself (retrying downstream exhaustion
        // at every hop would search a tree of the ring); the originator retries either; a few times.
        if (isChoked(err)) {
          if ((hops > 0 && !isOwnRefusal(err)) || ++choked > MAX_CHOKED_SKIPS) throw noHop(target, Math.max(1, choked))
          exclude.add(next.peerId)
          continue
        }
        if (!isPeerFailure(err) || (err instanceof ChordError && err.code === ErrorCode.TIMEOUT && Date.now() >= deadline - this.#margin)) throw err
        this.#skip(next, err as Error)
        exclude.add(next.peerId)
      }
    }
  }

  async #iterative (target: bigint, fingersOnly: boolean, deadline: number, tag: Tag, signal?: AbortSignal): Promise<LookupOutcome> {
    const path: Uint8Array[] = [toWire(this.#ring.self).peerId]
    const exclude = new Set<string>()
    const first = this.#step(target, fingersOnly, exclude)
    if (first.kind === 'owner') return { owner: first.owner, hops: 0, path }
    let frontier = first.candidates
    let choked = 0
    while (path.length <= MAX_HOPS) {
      const next = frontier.find(p => !exclude.has(p.peerId))
      if (next == null) {
        const owner = choked > 0 ? this.#ownerPastChoked(target, exclude) : undefined
        if (owner != null) return { owner, hops: path.length - 1, path }
        throw noHop(target, choked)
      }
      const budget = Math.min(deadline - Date.now(), this.#rpcTimeoutMs)
      if (budget <= 0) throw new TimeoutError(`lookup of ${shortId(target)} ran out of time after ${path.length - 1} hops`)
      let res: NextHopResult
      try {
        res = await this.#rpc.request(next, MessageType.NEXT_HOP, { target: idToBytes(target), fingersOnly, maintenance: tag === 'maintenance' }, { timeoutMs: budget, signal, tag })
      } catch (err) {
        if (signal?.aborted !== true && isChoked(err)) {
          if (++choked > MAX_CHOKED_SKIPS) throw noHop(target, choked)
          exclude.add(next.peerId)
          continue
        }
        if (signal?.aborted === true || !isPeerFailure(err)) throw err
        this.#skip(next, err as Error)
        exclude.add(next.peerId)
        continue
      }
      path.push(toWire(next).peerId)
      if (res.owner != null) return { owner: fromWire(res.owner, this.#verify), hops: path.length - 1, path }
      if (res.candidates.length > MAX_PEERS_PER_MESSAGE) throw new BadRequestError('too many candidates in NEXT_HOP reply')
      // Keep the old frontier behind the new one: if every new candidate is dead we back off a step.
      const fresh = res.candidates.map(c => fromWire(c, this.#verify)).filter(c => c.peerId !== this.#ring.self.peerId)
      frontier = [...fresh, ...frontier.filter(p => p.peerId !== next.peerId)]
    }
    throw new ChordError(ErrorCode.UNREACHABLE, `lookup of ${shortId(target)} exceeded ${MAX_HOPS} hops`)
  }

  #step (target: bigint, fingersOnly: boolean, exclude: ReadonlySet<string>): ReturnType<typeof routeStep> {
    return routeStep({
      self: this.#ring.self,
      successors: this.#ring.successors.entries,
      fingers: this.#ring.fingers.distinct(),
      extra: this.#init.extraCandidates?.(),
      target,
      fingersOnly,
      exclude
    })
  }

  /**
   * Routing around a choking predecessor of the target: if our successor list spans the
   * target, the entry just past it owns it (Zave: the list holds consecutive members).
   */
  #ownerPastChoked (target: bigint, exclude: ReadonlySet<string>): PeerRef | undefined {
    let prev = this.#ring.self
    for (const s of this.#ring.successors.entries) {
      if (inHalfOpen(target, prev.id, s.id)) return exclude.has(prev.peerId) && !exclude.has(s.peerId) ? s : undefined
      prev = s
    }
    return undefined
  }

  #skip (peer: PeerRef, err: Error): void {
    this.#log.debug({ peer: describe(peer), err: err.message }, 'next hop failed, trying the next candidate')
    this.#ring.markDead(peer.peerId, `lookup hop failed: ${err.message}`)
    this.#rpc.forget(peer.peerId)
    this.#init.onDead?.(peer.peerId)
  }

  /** FIND_SUCCESSOR: route one step and forward, relaying the answer back (recursive). */
  readonly handleFindSuccessor = async (req: FindSuccessor, ctx: RequestContext): Promise<LookupResult> => {
    const target = bytesToId(checkTarget(req.target))
    if (req.hops > MAX_HOPS) throw new ChordError(ErrorCode.UNREACHABLE, `lookup exceeded ${MAX_HOPS} hops`)
    // Forwarding someone else's lookup: R, whatever the lookup is for.
    const out = await this.#recursive(target, req.hops, req.fingersOnly, Date.now() + ctx.deadlineMs, 'forwarding', req.maintenance, ctx.signal)
    return { owner: toWire(out.owner), hops: out.hops, path: out.path as Array<Uint8Array<ArrayBuffer>> }
  }

  /** NEXT_HOP: one routing step for an iterative lookup. */
  readonly handleNextHop = async (req: NextHop): Promise<NextHopResult> => {
    const target = bytesToId(checkTarget(req.target))
    const step = this.#step(target, req.fingersOnly, new Set())
    if (step.kind === 'owner') return { owner: toWire(step.owner), candidates: [] }
    return { candidates: step.candidates.slice(0, 8).map(toWire) }
  }
}

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
