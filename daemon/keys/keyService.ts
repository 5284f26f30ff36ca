// put / get / delete, DHash-style (Dabek et al., "Wide-area cooperative storage with CFS",
// SOSP 2001): the entry peer mints the write's version and looks the key's owner up; the
// owner (coordinator) stores the write durably at that version and replicates it to the next
// r-1 peers of its successor list, and acknowledges once w replicas hold it at that version.
// Reads ask the owner and the replicas, return the newest record and repair the stale ones.
// Why the entry mints: README "Faults and guarantees" and keys/store/writeFence.ts.
import type { Logger } from 'pino'
import { ErrorCode, MessageType, type ApplyResult, type ClientRequest, type ClientResult, type Key, type KeyValue, type Keys, type MaybeRecord, type Records, type StoreResult, type Value } from '../../protocol/chord.js'
import { HANDOFF_BATCH_BYTES } from '../../protocol/constants.js'
import { BadRequestError, ChordError, TimeoutError, isChoked, isPeerFailure } from '../../protocol/errors.js'
import { readViaReplica, writeViaReplica, type AroundOwnerInit } from './aroundOwner.js'
import { walkPastRefusals, type WalkAnswer } from './pastRefusals.js'
import { describe, peerIdBytes, toWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import { bytesToId, hashToId, inHalfOpen } from '../../protocol/ring.js'
import type { RecordIntake } from './recordIntake.js'
import type { RingState } from '../ring/ringState.js'
import type { LookupOutcome, Router } from '../ring/lookups.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import type { KeyRecord, RecordStore } from './store/recordStore.js'
import { batches, checkKey, checkValue, recordFromWire, recordToWire } from './store/records.js'
import type { SkewMonitor } from './store/clockSkew.js'
import { ClockSkewError, type HybridClock } from './store/hybridClock.js'
import { compareVersions, type Version } from '../../protocol/version.js'
import { isDefiniteLocalRefusal, isDefiniteRefusal, WriteFence } from './store/writeFence.js'
import type { CostMeters } from '../meters/costMeters.js'

export interface KeyServiceInit {
  ring: RingState
  router: Router
  rpc: RpcClient
  store: RecordStore
  clock: HybridClock
  /** This peer's clock against its neighbours': a peer out of bounds mints no versions. */
  skew: SkewMonitor
  /** Every record from another peer passes here before the store. */
  intake: RecordIntake
  log: Logger
  rpcTimeoutMs: number
  /** --max-clock-skew-ms. */
  maxClockSkewMs: number
  /** Copies of every key: the owner and the next replicas-1 successors. */
  replicas: number
  /** Replicas that must hold a write durably before it is acknowledged. */
  writeQuorum: number
  meters: CostMeters
  verify: VerifyOptions
  /** Peers judged refusers by our choker: tried last as stand-ins. */
  distrusts?: (peerId: string) => boolean
}

type StoreOp = 'put' | 'get' | 'delete'
const MAX_FETCH_KEYS = 512
/** Successors a replica write or read may walk to past the ones it wants, when those refuse. */
export const WALK_SPARES = 2
/** Time kept back at the end of a client operation for the answer to travel back, ms. */
const REPLY_MARGIN_MS = 50

/** What a coordinator needs to write: the record's fields, who asked, and for whom it stands in. */
interface WriteRequest {
  key: Uint8Array
  value: Uint8Array
  deleted: boolean
  version: Version
  /** Peer id of the requester: the version's writer must be this peer. */
  requester: string
  /** 0: we are the owner; otherwise our rank in the refusing owner's successor list. */
  standIn: number
  signal: AbortSignal
}

export class KeyService {
  readonly #ring: RingState
  readonly #router: Router
  readonly #rpc: RpcClient
  readonly #store: RecordStore
  readonly #clock: HybridClock
  readonly #log: Logger
  readonly #init: KeyServiceInit
  /** What the detours around a refusing owner need (aroundOwner.ts). */
  readonly #around: AroundOwnerInit
  readonly #selfBytes: Uint8Array
  readonly #meters: CostMeters
  #leaving = false

  constructor (init: KeyServiceInit) {
    this.#init = init
    this.#around = { rpc: init.rpc, self: init.ring.self, verify: init.verify, replicas: init.replicas, writeQuorum: init.writeQuorum, distrusts: init.distrusts }
    this.#ring = init.ring
    this.#router = init.router
    this.#rpc = init.rpc
    this.#store = init.store
    this.#clock = init.clock
    this.#log = init.log
    this.#selfBytes = peerIdBytes(init.ring.self.peerId)
    this.#meters = init.meters
  }

  get store (): RecordStore { return this.#store }

  /** From here on, coordinator requests get SHUTTING_DOWN so clients retry at the new owner. */
  markLeaving (): void { this.#leaving = true }

  /** The peers after us that hold copies of what we own. */
  replicaPeers (): PeerRef[] {
    return this.#ring.successors.entries.slice(0, this.#init.replicas - 1)
  }

  #checkOwner (key: Uint8Array): void {
    checkKey(key)
    if (this.#leaving) throw new ChordError(ErrorCode.SHUTTING_DOWN, 'peer is leaving; its keys are moving to its successor')
    const pred = this.#ring.predecessor
    if (pred != null && !inHalfOpen(hashToId(key), pred.id, this.#ring.self.id)) {
      throw new ChordError(ErrorCode.NOT_OWNER, `key is not in (${describe(pred)}, self]`)
    }
  }

  /**
   * The replica walk's candidates (pastRefusals.ts), in ring order: the `want` successors and
   * WALK_SPARES more, enough to pass two refusing holders without a refusal storm amplifying
   * an overload (every walked step is one more gated request somewhere).
   */
  #successors (want: number): PeerRef[] {
    const self = this.#ring.self.peerId
    return this.#ring.successors.entries.filter(p => p.peerId !== self).slice(0, want + WALK_SPARES)
  }

  /** Copies placed besides our own: r - 1 for the owner, r - 2 for a stand-in (the owner's copy is the one missing). */
  #want (standIn: number): number {
    return Math.max(0, this.#init.replicas - (standIn > 0 ? 2 : 1))
  }

  /** The version a requester sent: present, written in its own name, and not too far ahead of our clock. */
  #checkVersion (ts: bigint | undefined, writer: Uint8Array | undefined, requester: string): Version {
    if (ts == null || ts === 0n || writer == null || writer.length === 0) throw new BadRequestError('a write must carry the version its entry peer minted')
    if (Buffer.compare(writer, peerIdBytes(requester)) !== 0) throw new BadRequestError('a write\'s version must be minted by the peer that sends it')
    this.#clock.check(ts)
    this.#clock.observe(ts)
    return { ts, writer }
  }

  /**
   * Coordinate a write at the version the entry minted: store it, replicate it, and
   * acknowledge only when our store and w replicas hold it at that version. A newer version
   * held here or at a replica is answered `superseded` (with that version), never acknowledged.
   */
  async #write (w: WriteRequest): Promise<StoreResult> {
    // A stand-in is a successor of an owner that refused (standIn: its rank); it writes for
    // the owner. Replicas are the next successors that do not refuse (a sloppy quorum; a
    // copy past the owner's r - 1 replicas is a stray that anti-entropy hands to them).
    if (w.standIn > 0) checkKey(w.key); else this.#checkOwner(w.key)
    const rec: KeyRecord = { key: w.key, value: w.value, deleted: w.deleted, version: w.version }
    const mine = this.#store.apply([rec]).superseded[0]
    if (mine != null) return supersededBy(mine.version, 0)
    const want = this.#want(w.standIn)
    const peers = this.#successors(want)
    // A ring smaller than w acknowledges with every member it has.
    const quorum = Math.min(this.#init.writeQuorum, 1 + Math.min(want, peers.length))
    const held = (answers: ReadonlyArray<WalkAnswer<ApplyResult>>): number => answers.filter(a => a.error == null && a.value!.superseded.length === 0 && a.value!.refused === 0).length
    const newer = (answers: ReadonlyArray<WalkAnswer<ApplyResult>>): Version | undefined => {
      let best: Version | undefined
      for (const a of answers) {
        const s = a.value?.superseded[0]
        if (s != null && (best == null || compareVersions({ ts: s.ts, writer: s.writer }, best) > 0)) best = { ts: s.ts, writer: s.writer }
      }
      return best
    }
    const walk = walkPastRefusals(peers, want, async peer => await this.#replicate(peer, rec, quorum > 1 ? w.signal : undefined),
      answers => 1 + held(answers) >= quorum || newer(answers) != null)
    void walk.done.then(answers => { for (const a of answers) if (a.error != null && !a.refused) this.#log.debug({ peer: describe(a.peer), err: a.error.message }, 'replica write failed') })
    if (quorum <= 1) return { replicas: 1, ts: rec.version.ts, writer: rec.version.writer as Uint8Array<ArrayBuffer>, found: true, superseded: false }
    const answers = await walk.settled
    const replicas = 1 + held(answers)
    const theirs = newer(answers)
    if (theirs != null) return supersededBy(theirs, replicas)
    if (replicas < quorum) throw new ChordError(ErrorCode.UNREACHABLE, `write reached ${replicas} of the ${quorum} replicas it needs`)
    return { replicas, ts: rec.version.ts, writer: rec.version.writer as Uint8Array<ArrayBuffer>, found: true, superseded: false }
  }

  async #replicate (peer: PeerRef, rec: KeyRecord, signal: AbortSignal | undefined): Promise<ApplyResult> {
    return await this.#rpc.request(peer, MessageType.REPLICA_PUT, { records: [recordToWire(rec)] }, { timeoutMs: this.#init.rpcTimeoutMs, signal })
  }

  readonly handleStorePut = async (req: KeyValue, ctx: RequestContext): Promise<StoreResult> =>
    await this.#coordinatePut(req, ctx.remotePeer, ctx.signal)

  async #coordinatePut (req: KeyValue, requester: string, signal: AbortSignal): Promise<StoreResult> {
    const version = this.#checkVersion(req.ts, req.writer, requester)
    return await this.#write({ key: checkKey(req.key), value: checkValue(req.value), deleted: false, version, requester, standIn: req.standIn ?? 0, signal })
  }

  /** A delete always writes its tombstone (a replica that missed the key must still learn it is gone); `found` says whether a copy was read. */
  readonly handleStoreDelete = async (req: Key, ctx: RequestContext): Promise<StoreResult> =>
    await this.#coordinateDelete(req, ctx.remotePeer, ctx)

  async #coordinateDelete (req: Key, requester: string, ctx: RequestContext): Promise<StoreResult> {
    const version = this.#checkVersion(req.ts, req.writer, requester)
    const standIn = req.standIn ?? 0
    const current = await this.handleStoreGet({ key: req.key, standIn }, ctx)
    const r = await this.#write({ key: checkKey(req.key), value: new Uint8Array(), deleted: true, version, requester, standIn, signal: ctx.signal })
    return { ...r, found: current.found }
  }

  /** Read the owner's copy and the replicas'; answer with the newest and repair the rest. */
  readonly handleStoreGet = async (req: Key, ctx: RequestContext): Promise<Value> => {
    // A stand-in (a successor of the owner, which refused) reads its own copy and its next
    // successors', walking past refusals, and answers only at a read quorum r - w + 1.
    const standIn = req.standIn ?? 0
    if (standIn > 0) checkKey(req.key); else this.#checkOwner(req.key)
    const want = this.#want(standIn)
    const walked = await walkPastRefusals(this.#successors(want), want, async peer =>
      await this.#rpc.request(peer, MessageType.REPLICA_GET, { key: req.key }, { timeoutMs: this.#init.rpcTimeoutMs, signal: ctx.signal })).done
    const answers = walked.map(a => ({ peer: a.peer, record: this.#answerRecord(a.peer, req.key, a.value), ok: a.error == null }))
    const local = this.#store.get(req.key)
    let newest = local
    for (const a of answers) if (a.record != null && (newest == null || compareVersions(a.record.version, newest.version) > 0)) newest = a.record
    if (newest != null) {
      if (local == null || compareVersions(newest.version, local.version) > 0) this.#store.apply([newest])
      const stale = answers.filter(a => a.ok && (a.record == null || compareVersions(a.record.version, newest!.version) < 0))
      for (const a of stale) void this.#rpc.request(a.peer, MessageType.REPAIR_PUT, { records: [recordToWire(newest)] }, { timeoutMs: this.#init.rpcTimeoutMs }).catch(() => {})
      if (stale.length > 0) this.#log.debug({ event: 'read-repair', replicas: stale.length }, 'read repaired stale replicas')
    }
    const replicas = 1 + answers.filter(a => a.ok).length
    const readQuorum = this.#init.replicas - this.#init.writeQuorum + 1
    if (standIn > 0 && replicas < readQuorum) throw new ChordError(ErrorCode.ROUTE_CHOKED, `stand-in read reached ${replicas} replicas, a read quorum is ${readQuorum}`)
    // A spare (past the owner's r - 1 replicas) holds only what was written through it lately:
    // finding nothing there says nothing about the key.
    if (standIn >= this.#init.replicas && newest == null) throw new ChordError(ErrorCode.ROUTE_CHOKED, `stand-in ${standIn} is past the replica set and holds no copy`)
    if (newest == null || newest.deleted) return { found: false, value: new Uint8Array(), ts: newest?.version.ts ?? 0n, writer: (newest?.version.writer ?? new Uint8Array()) as Uint8Array<ArrayBuffer>, replicas }
    return { found: true, value: newest.value as Uint8Array<ArrayBuffer>, ts: newest.version.ts, writer: newest.version.writer as Uint8Array<ArrayBuffer>, replicas }
  }

  /** A replica's copy, if it is of the key asked for and its version passes the intake (not far in the future). */
  #answerRecord (peer: PeerRef, key: Uint8Array, answer: MaybeRecord | undefined): KeyRecord | undefined {
    if (answer?.record == null) return undefined
    let rec: KeyRecord
    try {
      rec = recordFromWire(answer.record)
    } catch {
      return undefined
    }
    if (Buffer.compare(rec.key, key) !== 0) return undefined
    return this.#init.intake.admit([rec], peer.peerId, 'answer').records[0]
  }

  /** A replica write, repair push or handoff: keep what our view of the ring explains and is newer, durably, then answer. */
  readonly handleReplicaPut = async (req: Records, ctx: RequestContext): Promise<ApplyResult> => {
    const recs = req.records.map(recordFromWire)
    const admitted = this.#init.intake.admit(recs, ctx.remotePeer, 'pushed')
    // A single refused record (a replica write) is answered with why; a batch with counts.
    if (recs.length === 1 && admitted.firstRefusal != null) throw admitted.firstRefusal
    const out = this.#store.apply(admitted.records)
    return {
      applied: out.applied,
      held: out.held,
      superseded: out.superseded.map(m => ({ key: m.key as Uint8Array<ArrayBuffer>, ts: m.version.ts, writer: m.version.writer as Uint8Array<ArrayBuffer>, deleted: m.deleted })),
      refused: admitted.refused
    }
  }

  readonly handleReplicaGet = async (req: Key): Promise<MaybeRecord> => {
    const r = this.#store.get(checkKey(req.key))
    return { record: r == null ? undefined : recordToWire(r) }
  }

  readonly handleReplicaFetch = async (req: Keys): Promise<Records> => {
    if (req.keys.length > MAX_FETCH_KEYS) throw new BadRequestError(`at most ${MAX_FETCH_KEYS} keys per fetch`)
    const out: Records = { records: [] }
    let bytes = 0
    for (const k of req.keys) {
      const r = this.#store.get(checkKey(k))
      if (r == null) continue
      bytes += r.key.length + r.value.length
      if (bytes > HANDOFF_BATCH_BYTES * 2 && out.records.length > 0) break // the requester asks again for the rest
      out.records.push(recordToWire(r))
    }
    return out
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
      const out = await this.#router.lookup(target, { iterative: req.iterative, fingersOnly: req.fingersOnly, timeoutMs: ctx.deadlineMs, signal: ctx.signal })
      const us = Math.round((performance.now() - started) * 1000)
      this.#meters.recordLookup(out.hops, us, true)
      return result(out, us, 1)
    } catch (err) {
      this.#meters.recordLookup(0, 0, false)
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
    const skew = this.#init.skew.status()
    if (skew.peers === 0 && !this.#ring.alone()) throw new ClockSkewError('this peer\'s clock has not been compared with any neighbour\'s yet; it mints no versions until it has')
    if (!skew.healthy) {
      throw new ClockSkewError(`this peer's clock is ${skew.offsetMs ?? '?'} ms off from ${skew.disagreeing} of its ${skew.peers} sampled neighbours (more than half of --max-clock-skew-ms ${this.#init.maxClockSkewMs}); it mints no versions until that is fixed`)
    }
    const version = { ts: this.#clock.next(), writer: this.#selfBytes }
    return fence.holdFor(version.ts) > deadline - Date.now() - REPLY_MARGIN_MS ? undefined : version
  }

  /**
   * Look the owner up and run the operation there. NOT_OWNER or a dead owner (the ring is
   * moving under us) means: wait a little, look up again, within the deadline. A write
   * answered `superseded` is versioned again above what is held and retried at once.
   */
  async #atOwner (op: StoreOp, req: ClientRequest, ctx: RequestContext): Promise<ClientResult> {
    const fence = new WriteFence(this.#clock, this.#init.maxClockSkewMs)
    const deadline = Date.now() + ctx.deadlineMs
    try {
      return await this.#attempts(op, req, ctx, fence, deadline)
    } catch (err) {
      // A failed write whose version may have landed is reported only once no later write
      // can be versioned below it (writeFence.ts).
      const hold = Math.min(fence.holdMs(), Math.max(0, deadline - Date.now()))
      if (hold > 0) await sleep(hold, ctx.signal)
      throw err
    }
  }

  async #attempts (op: StoreOp, req: ClientRequest, ctx: RequestContext, fence: WriteFence, deadline: number): Promise<ClientResult> {
    const id = hashToId(checkKey(req.key))
    let lastErr: Error = new TimeoutError('no attempt fit in the deadline')
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      const started = performance.now()
      let out: LookupOutcome | undefined
      try {
        out = await this.#router.lookup(id, { iterative: req.iterative, fingersOnly: req.fingersOnly, timeoutMs: deadline - Date.now() - REPLY_MARGIN_MS, signal: ctx.signal })
        const lookupUs = Math.round((performance.now() - started) * 1000)
        const version = op === 'get' ? undefined : this.#mint(fence, deadline)
        if (op !== 'get' && version == null) {
          if (attempt === 1) throw new TimeoutError(`a write needs a deadline longer than --max-clock-skew-ms (${this.#init.maxClockSkewMs} ms) to be safe to report if it fails; ${Math.max(0, deadline - Date.now())} ms were left`)
          break
        }
        // The owner's work is its own store and one round of replica RPCs: give it two RPC
        // timeouts, not the whole deadline, so a stalled owner is retried while time is left.
        const opMs = Math.min(2 * this.#init.rpcTimeoutMs, deadline - Date.now() - REPLY_MARGIN_MS)
        const v = await this.#storeOp(op, out.owner, req, version, fence, Math.max(1, opMs), ctx)
        if (v.superseded === true) {
          // A newer version is held: ours lost. Move our clock past it and version the write again.
          this.#clock.observe(v.ts!)
          lastErr = new TimeoutError('every version minted in time was superseded by a newer one')
          continue
        }
        this.#meters.recordLookup(out.hops, lookupUs, true, attempt)
        return { ...result(out, lookupUs, attempt), ...v }
      } catch (err) {
        if (ctx.signal.aborted) throw err
        const code = err instanceof ChordError ? err.code : ErrorCode.INTERNAL
        const retry = code === ErrorCode.NOT_OWNER || code === ErrorCode.SHUTTING_DOWN || (out != null && isPeerFailure(err))
        if (!retry) { this.#meters.recordLookup(0, 0, false, attempt); throw err }
        if (out != null && isPeerFailure(err) && code !== ErrorCode.SHUTTING_DOWN && code !== ErrorCode.UNREACHABLE) this.#ring.markDead(out.owner.peerId, `${op} at owner failed`)
        lastErr = err as Error
        await sleep(Math.min(50 * attempt, 500, Math.max(0, deadline - Date.now())), ctx.signal)
      }
    }
    this.#meters.recordLookup(0, 0, false)
    throw lastErr
  }

  /** Ask the owner, and go around it if it answers CHOKED; an owner we judged a refuser is not asked. */
  async #orAround<T> (owner: PeerRef, direct: () => Promise<T>, around: (orElse: Error) => Promise<T>): Promise<T> {
    if (this.#init.distrusts?.(owner.peerId) === true) return await around(new ChordError(ErrorCode.CHOKED, `owner ${describe(owner)} refused us and gave nothing (judged)`))
    return await direct().catch(async err => { if (!isChoked(err)) throw err; return await around(err as Error) })
  }

  /** Send a versioned write (remote, or to ourselves as coordinator) and tell the fence how it ended. */
  async #fenced<T extends StoreResult> (fence: WriteFence, version: Version, local: boolean, send: () => Promise<T>): Promise<T> {
    try {
      const r = await send()
      fence.sent(version.ts, r.superseded && r.replicas > 0)
      return r
    } catch (err) {
      fence.sent(version.ts, !(local ? isDefiniteLocalRefusal(err) : isDefiniteRefusal(err)))
      throw err
    }
  }

  async #storeOp (op: StoreOp, owner: PeerRef, req: ClientRequest, version: Version | undefined, fence: WriteFence, timeoutMs: number, ctx: RequestContext): Promise<Partial<ClientResult> & { superseded?: boolean }> {
    const local = owner.peerId === this.#ring.self.peerId
    const self = this.#ring.self.peerId
    // Serving a key we own for our own entry request is service too, with no bytes on the wire.
    if (local) this.#meters.recordServed({ tag: 'service', peerId: self, bytesIn: 0, bytesOut: 0, micros: 0, failed: false })
    const sub: RequestContext = { ...ctx, remotePeer: self, deadlineMs: timeoutMs }
    if (op === 'get') {
      const v = local
        ? await this.handleStoreGet({ key: req.key, standIn: 0 }, sub)
        : await this.#orAround(owner, async () => await this.#rpc.request(owner, MessageType.STORE_GET, { key: req.key }, { timeoutMs, signal: ctx.signal, tag: 'access' }),
          // A choking owner is routed around: a replica answers the read (docs/choking.md).
          async orElse => await readViaReplica(this.#around, {
            owner, key: req.key, timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal, orElse,
            local: async r => await this.handleStoreGet(r, sub),
            remote: async (to, t, r) => await this.#rpc.request(to, MessageType.STORE_GET, r, { timeoutMs: t, signal: ctx.signal, tag: 'access' })
          }))
      return { found: v.found, value: v.value, ts: v.ts, writer: v.writer, replicas: v.replicas }
    }
    const v = version!
    if (op === 'put') {
      const put: KeyValue = { key: req.key, value: req.value, standIn: 0, ts: v.ts, writer: v.writer as Uint8Array<ArrayBuffer> }
      const r = local
        ? await this.#fenced(fence, v, true, async () => await this.#coordinatePut(put, self, ctx.signal))
        : await this.#orAround(owner, async () => await this.#fenced(fence, v, false, async () => await this.#rpc.request(owner, MessageType.STORE_PUT, put, { timeoutMs, signal: ctx.signal, tag: 'access' })),
          // A choking owner is routed around: one of its replicas stands in (docs/choking.md).
          async orElse => await writeViaReplica(this.#around, {
            owner, put, timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal, orElse,
            local: async r => await this.#fenced(fence, v, true, async () => await this.#coordinatePut(r, self, ctx.signal)),
            remote: async (to, t, r) => await this.#fenced(fence, v, false, async () => await this.#rpc.request(to, MessageType.STORE_PUT, r, { timeoutMs: t, signal: ctx.signal, tag: 'access' }))
          }))
      return { found: true, replicas: r.replicas, ts: r.ts, writer: r.writer, superseded: r.superseded }
    }
    const del: Key = { key: req.key as Uint8Array<ArrayBuffer>, ts: v.ts, writer: v.writer as Uint8Array<ArrayBuffer> }
    const r = local
      ? await this.#fenced(fence, v, true, async () => await this.#coordinateDelete(del, self, sub))
      : await this.#fenced(fence, v, false, async () => await this.#rpc.request(owner, MessageType.STORE_DELETE, del, { timeoutMs, signal: ctx.signal, tag: 'access' }))
    return { found: r.found, replicas: r.replicas, ts: r.ts, writer: r.writer, superseded: r.superseded }
  }

  /** Repair and handoff: send records to a peer in bounded batches (maintenance traffic); true if it holds them all. */
  async pushTo (peer: PeerRef, records: readonly KeyRecord[], signal?: AbortSignal): Promise<boolean> {
    for (const batch of batches(records, HANDOFF_BATCH_BYTES)) {
      const r = await this.#rpc.request(peer, MessageType.REPAIR_PUT, { records: batch.map(recordToWire) }, { timeoutMs: this.#init.rpcTimeoutMs * 2, signal })
      if (r.held !== batch.length) return false
    }
    return true
  }

  /** Graceful leave: everything we hold goes to our successor, which now owns our range. */
  async handOffAll (to: PeerRef, signal: AbortSignal): Promise<number> {
    const all = this.#store.range(this.#ring.self.id, this.#ring.self.id, Number.MAX_SAFE_INTEGER)
    await this.pushTo(to, all, signal)
    return all.length
  }
}

function supersededBy (v: Version, replicas: number): StoreResult {
  return { replicas, ts: v.ts, writer: v.writer as Uint8Array<ArrayBuffer>, found: true, superseded: true }
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
