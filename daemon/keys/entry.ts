// The entry peer of a client's put / get / delete / lookup (CLIENT_*), DHash-style (Dabek et
// al., "Wide-area cooperative storage with CFS", SOSP 2001): it looks the key's owner up, mints
// the write's version, and has the owner coordinate the operation (coordinator.ts), or one of
// its successors standing in when the owner refuses (aroundOwner.ts); it retries while the ring
// moves under it, within the client's deadline.
// Why the entry mints: README "Faults and guarantees" and keys/store/writeFence.ts.
import { ErrorCode, MessageType, type ClientRequest, type ClientResult, type Key, type KeyValue, type StoreResult } from '../../protocol/chord.js'
import { BadRequestError, ChordError, TimeoutError, isChoked, isPeerFailure } from '../../protocol/errors.js'
import { describe, peerIdBytes, toWire, type PeerRef } from '../../protocol/peerInfo.js'
import { bytesToId, hashToId } from '../../protocol/ring.js'
import type { Version } from '../../protocol/version.js'
import type { CostMeters } from '../meters/costMeters.js'
import type { LookupOutcome, Router } from '../ring/lookups.js'
import type { RingState } from '../ring/ringState.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import { viaStandIn, type AroundOwnerInit } from './aroundOwner.js'
import type { Coordinator, CoordinatorContext } from './coordinator.js'
import { holderToWire, OWNER } from './standIn.js'
import type { SkewMonitor } from './store/clockSkew.js'
import { ClockSkewError, type HybridClock } from './store/hybridClock.js'
import { checkKey, checkValue } from './store/records.js'
import { isDefiniteLocalRefusal, isDefiniteRefusal, WriteFence } from './store/writeFence.js'

export interface EntryInit extends AroundOwnerInit {
  ring: RingState
  router: Router
  clock: HybridClock
  /** This peer's clock against its neighbours': a peer out of bounds mints no versions. */
  skew: SkewMonitor
  meters: CostMeters
  rpcTimeoutMs: number
  /** --max-clock-skew-ms. */
  maxClockSkewMs: number
  /** Our own coordinator: an owner that is us is asked without the network. */
  coordinator: Pick<Coordinator, 'put' | 'get' | 'delete'>
}

type StoreOp = 'put' | 'get' | 'delete'
/** Time kept back at the end of a client operation for the answer to travel back, ms. */
const REPLY_MARGIN_MS = 50

/** One client operation at the entry: what was asked, by whom, its write fence and its deadline (epoch ms). */
interface Operation {
  op: StoreOp
  req: ClientRequest
  ctx: RequestContext
  fence: WriteFence
  deadline: number
}

/** One attempt of an operation at the owner looked up, with the version minted for it (writes) and its time. */
interface Attempt {
  owner: PeerRef
  version?: Version
  timeoutMs: number
}

type AttemptResult = Partial<ClientResult> & { superseded?: boolean }

export class Entry {
  readonly #i: EntryInit
  readonly #selfBytes: Uint8Array

  constructor (init: EntryInit) {
    this.#i = init
    this.#selfBytes = peerIdBytes(init.self.peerId)
  }

  readonly handleClientLookup = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => {
    let target: bigint
    if (req.target != null) {
      if (req.target.length !== 20) throw new BadRequestError(`target must be 20 bytes, got ${req.target.length}`)
      target = bytesToId(req.target)
    } else {
      target = hashToId(checkKey(req.key))
    }
    const started = performance.now()
    try {
      const out = await this.#i.router.lookup(target, { iterative: req.iterative, fingersOnly: req.fingersOnly, timeoutMs: ctx.deadlineMs, signal: ctx.signal })
      const us = Math.round((performance.now() - started) * 1000)
      this.#i.meters.recordLookup({ ok: true, hops: out.hops, micros: us })
      return result(out, us, 1)
    } catch (err) {
      this.#i.meters.recordLookup({ ok: false })
      throw err
    }
  }

  readonly handleClientPut = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => {
    checkValue(req.value)
    return await this.#atOwner('put', req, ctx)
  }

  readonly handleClientGet = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => await this.#atOwner('get', req, ctx)
  readonly handleClientDelete = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => await this.#atOwner('delete', req, ctx)

  /**
   * A fresh version for one attempt of a write; undefined when too little time is left to hold
   * a failure back (writeFence.ts) before the deadline. Throws CLOCK_SKEW when this peer's
   * clock is out of bounds with its neighbours'.
   */
  #mint (fence: WriteFence, deadline: number): Version | undefined {
    const skew = this.#i.skew.status()
    if (skew.peers === 0 && !this.#i.ring.alone()) throw new ClockSkewError('this peer\'s clock has not been compared with any neighbour\'s yet; it mints no versions until it has')
    if (!skew.healthy) {
      throw new ClockSkewError(`this peer's clock is ${skew.offsetMs ?? '?'} ms off from ${skew.disagreeing} of its ${skew.peers} sampled neighbours (more than half of --max-clock-skew-ms ${this.#i.maxClockSkewMs}); it mints no versions until that is fixed`)
    }
    const version = { ts: this.#i.clock.next(), writer: this.#selfBytes }
    return fence.holdFor(version.ts) > deadline - Date.now() - REPLY_MARGIN_MS ? undefined : version
  }

  /**
   * Look the owner up and run the operation there. NOT_OWNER or a dead owner (the ring is
   * moving under us) means: wait a little, look up again, within the deadline. A write
   * answered `superseded` is versioned again above what is held and retried at once.
   */
  async #atOwner (op: StoreOp, req: ClientRequest, ctx: RequestContext): Promise<ClientResult> {
    const fence = new WriteFence(this.#i.clock, this.#i.maxClockSkewMs)
    const deadline = Date.now() + ctx.deadlineMs
    try {
      return await this.#attempts({ op, req, ctx, fence, deadline })
    } catch (err) {
      // A failed write whose version may have landed is reported only once no later write
      // can be versioned below it (writeFence.ts).
      const hold = Math.min(fence.holdMs(), Math.max(0, deadline - Date.now()))
      if (hold > 0) await sleep(hold, ctx.signal)
      throw err
    }
  }

  async #attempts (o: Operation): Promise<ClientResult> {
    const { op, req, ctx, deadline } = o
    const { router, meters, ring } = this.#i
    const id = hashToId(checkKey(req.key))
    let lastErr: Error = new TimeoutError('no attempt fit in the deadline')
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      const started = performance.now()
      let out: LookupOutcome | undefined
      try {
        out = await router.lookup(id, { iterative: req.iterative, fingersOnly: req.fingersOnly, timeoutMs: deadline - Date.now() - REPLY_MARGIN_MS, signal: ctx.signal })
        const lookupUs = Math.round((performance.now() - started) * 1000)
        const version = op === 'get' ? undefined : this.#mint(o.fence, deadline)
        if (op !== 'get' && version == null) {
          if (attempt === 1) throw new TimeoutError(`a write needs a deadline longer than --max-clock-skew-ms (${this.#i.maxClockSkewMs} ms) to be safe to report if it fails; ${Math.max(0, deadline - Date.now())} ms were left`)
          break
        }
        // The owner's work is its own store and one round of replica RPCs: give it two RPC
        // timeouts, not the whole deadline, so a stalled owner is retried while time is left.
        const opMs = Math.min(2 * this.#i.rpcTimeoutMs, deadline - Date.now() - REPLY_MARGIN_MS)
        const v = await this.#storeOp(o, { owner: out.owner, version, timeoutMs: Math.max(1, opMs) })
        if (v.superseded === true) {
          // A newer version is held: ours lost. Move our clock past it and version the write again.
          this.#i.clock.observe(v.ts!)
          lastErr = new TimeoutError('every version minted in time was superseded by a newer one')
          continue
        }
        meters.recordLookup({ ok: true, hops: out.hops, micros: lookupUs, attempts: attempt })
        return { ...result(out, lookupUs, attempt), ...v }
      } catch (err) {
        if (ctx.signal.aborted) throw err
        const code = err instanceof ChordError ? err.code : ErrorCode.INTERNAL
        const retry = code === ErrorCode.NOT_OWNER || code === ErrorCode.SHUTTING_DOWN || (out != null && isPeerFailure(err))
        if (!retry) { meters.recordLookup({ ok: false, attempts: attempt }); throw err }
        if (out != null && isPeerFailure(err) && code !== ErrorCode.SHUTTING_DOWN && code !== ErrorCode.UNREACHABLE) ring.markDead(out.owner.peerId, `${op} at owner failed`)
        lastErr = err as Error
        await sleep(Math.min(50 * attempt, 500, Math.max(0, deadline - Date.now())), ctx.signal)
      }
    }
    meters.recordLookup({ ok: false })
    throw lastErr
  }

  /** Ask the owner, and go around it if it answers CHOKED; an owner we judged a refuser is not asked. */
  async #orAround<T> (owner: PeerRef, direct: () => Promise<T>, around: (orElse: Error) => Promise<T>): Promise<T> {
    if (this.#i.distrusts?.(owner.peerId) === true) return await around(new ChordError(ErrorCode.CHOKED, `owner ${describe(owner)} refused us and gave nothing (judged)`))
    return await direct().catch(async err => { if (!isChoked(err)) throw err; return await around(err as Error) })
  }

  /**
   * One attempt at the owner: our own coordinator when the owner is us (requester: ourselves,
   * the client's signal), else STORE_* to the owner, around it when it refuses.
   */
  async #storeOp ({ op, req, ctx, fence }: Operation, at: Attempt): Promise<AttemptResult> {
    const { rpc, meters, coordinator } = this.#i
    const { owner, timeoutMs } = at
    const self = this.#i.self.peerId
    const local = owner.peerId === self
    // Serving a key we own for our own entry request is service too, with no bytes on the wire.
    if (local) meters.recordServed({ tag: 'service', peerId: self, bytesIn: 0, bytesOut: 0, micros: 0, failed: false })
    const asSelf: CoordinatorContext = { requester: self, signal: ctx.signal }
    const detour = { owner, timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal }
    if (op === 'get') {
      const v = local
        ? await coordinator.get({ key: req.key, holder: OWNER }, asSelf)
        : await this.#orAround(owner, async () => await rpc.request(owner, MessageType.STORE_GET, { key: req.key }, { timeoutMs, signal: ctx.signal, tag: 'access' }),
          // A choking owner is routed around: a replica answers the read (docs/choking.md).
          async orElse => await viaStandIn(this.#i, {
            ...detour,
            orElse,
            local: async holder => await coordinator.get({ key: req.key, holder }, asSelf),
            remote: async (to, t, holder) => await rpc.request(to, MessageType.STORE_GET, { key: req.key, standIn: holderToWire(holder) }, { timeoutMs: t, signal: ctx.signal, tag: 'access' })
          }))
      return { found: v.found, value: v.value, ts: v.ts, writer: v.writer, replicas: v.replicas }
    }
    const version = at.version!
    const sent = async <T extends StoreResult>(how: 'local' | 'remote', send: () => Promise<T>): Promise<T> => await fenced({ fence, version, how }, send)
    if (op === 'put') {
      const write = { key: req.key, value: req.value, ts: version.ts, writer: version.writer as Uint8Array<ArrayBuffer> }
      const put: KeyValue = { ...write, standIn: holderToWire(OWNER) }
      const r = local
        ? await sent('local', async () => await coordinator.put({ ...write, holder: OWNER }, asSelf))
        : await this.#orAround(owner, async () => await sent('remote', async () => await rpc.request(owner, MessageType.STORE_PUT, put, { timeoutMs, signal: ctx.signal, tag: 'access' })),
          // A choking owner is routed around: one of its replicas stands in (docs/choking.md).
          async orElse => await viaStandIn(this.#i, {
            ...detour,
            orElse,
            local: async holder => await sent('local', async () => await coordinator.put({ ...write, holder }, asSelf)),
            remote: async (to, t, holder) => await sent('remote', async () => await rpc.request(to, MessageType.STORE_PUT, { ...put, standIn: holderToWire(holder) }, { timeoutMs: t, signal: ctx.signal, tag: 'access' }))
          }))
      return { found: true, replicas: r.replicas, ts: r.ts, writer: r.writer, superseded: r.superseded }
    }
    // A delete names no stand_in: it goes to the owner only (an absent stand_in is the owner).
    const del: Key = { key: req.key as Uint8Array<ArrayBuffer>, ts: version.ts, writer: version.writer as Uint8Array<ArrayBuffer> }
    const r = local
      ? await sent('local', async () => await coordinator.delete({ ...del, holder: OWNER }, asSelf))
      : await sent('remote', async () => await rpc.request(owner, MessageType.STORE_DELETE, del, { timeoutMs, signal: ctx.signal, tag: 'access' }))
    return { found: r.found, replicas: r.replicas, ts: r.ts, writer: r.writer, superseded: r.superseded }
  }
}

/** A versioned write on its way: the fence to tell, the version, and whether the coordinator is us. */
interface FencedWrite {
  fence: WriteFence
  version: Version
  how: 'local' | 'remote'
}

/** Send a versioned write (remote, or to ourselves as coordinator) and tell the fence how it ended. */
async function fenced<T extends StoreResult> ({ fence, version, how }: FencedWrite, send: () => Promise<T>): Promise<T> {
  try {
    const r = await send()
    fence.sent(version.ts, r.superseded && r.replicas > 0)
    return r
  } catch (err) {
    fence.sent(version.ts, !(how === 'local' ? isDefiniteLocalRefusal(err) : isDefiniteRefusal(err)))
    throw err
  }
}

function result (out: LookupOutcome, lookupUs: number, attempts: number): ClientResult {
  return { owner: toWire(out.owner), hops: out.hops, path: out.path as Array<Uint8Array<ArrayBuffer>>, lookupUs, found: false, value: new Uint8Array(), attempts, replicas: 0, ts: 0n, writer: new Uint8Array() }
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
  })
}
