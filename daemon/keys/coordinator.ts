// The coordinator of a key's writes and reads (STORE_PUT, STORE_GET, STORE_DELETE), at the
// key's owner or at a stand-in for an owner that refused (standIn.ts), DHash-style (Dabek et
// al., "Wide-area cooperative storage with CFS", SOSP 2001): it stores the write durably at
// the version the entry minted, replicates it to the next r-1 peers of its successor list,
// and acknowledges once w replicas hold it at that version. Reads ask the owner and the
// replicas, return the newest record and repair the stale ones (readRepair.ts).
import type { Logger } from 'pino'
import { ErrorCode, MessageType, type ApplyResult, type Key, type KeyValue, type MaybeRecord, type StoreResult, type Value } from '../../protocol/chord.js'
import { BadRequestError, ChordError } from '../../protocol/errors.js'
import { describe, peerIdBytes, type PeerRef } from '../../protocol/peerInfo.js'
import { hashToId, inHalfOpen } from '../../protocol/ring.js'
import type { Version } from '../../protocol/version.js'
import type { RingState } from '../ring/ringState.js'
import type { RpcClient } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import { walkCandidates, walkPastRefusals } from './pastRefusals.js'
import { heldBy, newestSuperseding, readRefusal, writeQuorumFor } from './quorums.js'
import { localIsStale, newestOf, staleOf } from './readRepair.js'
import type { RecordIntake } from './recordIntake.js'
import { copiesWanted, holderFromWire, type Holder } from './standIn.js'
import type { HybridClock } from './store/hybridClock.js'
import type { KeyRecord, RecordStore } from './store/recordStore.js'
import { checkKey, checkValue, recordFromWire, recordToWire } from './store/records.js'

export interface CoordinatorInit {
  ring: RingState
  rpc: RpcClient
  store: RecordStore
  clock: HybridClock
  /** Every record from another peer passes here before the store. */
  intake: RecordIntake
  log: Logger
  rpcTimeoutMs: number
  /** Copies of every key: the owner and the next replicas-1 successors. */
  replicas: number
  /** Replicas that must hold a write durably before it is acknowledged. */
  writeQuorum: number
}

/** Whom a coordinator works for, and what ends its work. */
export interface CoordinatorContext {
  /** Peer id of the requester: a write's version must be minted by it. */
  requester: string
  signal: AbortSignal
}

/** A read of one key, and whom the coordinator holds it for. */
export interface ReadRequest {
  key: Uint8Array
  holder: Holder
}

/** A write or delete as the entry sent it: the version it minted, not checked yet. */
export interface VersionedRequest extends ReadRequest {
  ts?: bigint
  writer?: Uint8Array
}

export interface PutRequest extends VersionedRequest {
  value: Uint8Array
}

/** What a coordinator needs to write: the record's fields, checked, and whom it holds them for. */
interface Write {
  key: Uint8Array
  value: Uint8Array
  deleted: boolean
  version: Version
  holder: Holder
  signal: AbortSignal
}

export class Coordinator {
  readonly #i: CoordinatorInit
  #leaving = false

  constructor (init: CoordinatorInit) { this.#i = init }

  /** From here on, owner requests get SHUTTING_DOWN so clients retry at the new owner. */
  markLeaving (): void { this.#leaving = true }

  readonly handleStorePut = async (req: KeyValue, ctx: RequestContext): Promise<StoreResult> =>
    await this.put({ key: req.key, value: req.value, ts: req.ts, writer: req.writer, holder: this.#holder(req.standIn) }, contextOf(ctx))

  readonly handleStoreGet = async (req: Key, ctx: RequestContext): Promise<Value> =>
    await this.get({ key: req.key, holder: this.#holder(req.standIn) }, contextOf(ctx))

  readonly handleStoreDelete = async (req: Key, ctx: RequestContext): Promise<StoreResult> =>
    await this.delete({ key: req.key, ts: req.ts, writer: req.writer, holder: this.#holder(req.standIn) }, contextOf(ctx))

  async put (req: PutRequest, ctx: CoordinatorContext): Promise<StoreResult> {
    const version = this.#checkVersion(req.ts, req.writer, ctx.requester)
    return await this.#write({ key: checkKey(req.key), value: checkValue(req.value), deleted: false, version, holder: req.holder, signal: ctx.signal })
  }

  /** A delete always writes its tombstone (a replica that missed the key must still learn it is gone); `found` says whether a copy was read. */
  async delete (req: VersionedRequest, ctx: CoordinatorContext): Promise<StoreResult> {
    const version = this.#checkVersion(req.ts, req.writer, ctx.requester)
    const current = await this.get(req, ctx)
    const r = await this.#write({ key: checkKey(req.key), value: new Uint8Array(), deleted: true, version, holder: req.holder, signal: ctx.signal })
    return { ...r, found: current.found }
  }

  /** Read the owner's copy and the replicas'; answer with the newest and repair the rest. */
  async get (req: ReadRequest, ctx: CoordinatorContext): Promise<Value> {
    // A stand-in (a successor of the owner, which refused) reads its own copy and its next
    // successors', walking past refusals, and answers only at a read quorum r - w + 1.
    this.#checkHolder(req)
    const { rpc, store, log, rpcTimeoutMs } = this.#i
    const want = copiesWanted(req.holder, this.#i.replicas)
    const walked = await walkPastRefusals(this.#successors(want), want, async peer =>
      await rpc.request(peer, MessageType.REPLICA_GET, { key: req.key as Uint8Array<ArrayBuffer> }, { timeoutMs: rpcTimeoutMs, signal: ctx.signal })).done
    const answers = walked.map(a => ({ peer: a.peer, record: this.#answerRecord(a.peer, req.key, a.value), ok: a.error == null }))
    const local = store.get(req.key)
    const newest = newestOf(local, answers)
    if (newest != null) {
      if (localIsStale(local, newest)) store.apply([newest])
      const stale = staleOf(answers, newest)
      for (const a of stale) void rpc.request(a.peer, MessageType.REPAIR_PUT, { records: [recordToWire(newest)] }, { timeoutMs: rpcTimeoutMs }).catch(() => {})
      if (stale.length > 0) log.debug({ event: 'read-repair', replicas: stale.length }, 'read repaired stale replicas')
    }
    const replicas = 1 + answers.filter(a => a.ok).length
    const refusal = readRefusal(req.holder, { replicas: this.#i.replicas, writeQuorum: this.#i.writeQuorum, reached: replicas, found: newest != null })
    if (refusal != null) throw new ChordError(ErrorCode.ROUTE_CHOKED, refusal)
    if (newest == null || newest.deleted) return { found: false, value: new Uint8Array(), ts: newest?.version.ts ?? 0n, writer: (newest?.version.writer ?? new Uint8Array()) as Uint8Array<ArrayBuffer>, replicas }
    return { found: true, value: newest.value as Uint8Array<ArrayBuffer>, ts: newest.version.ts, writer: newest.version.writer as Uint8Array<ArrayBuffer>, replicas }
  }

  /** The wire's stand_in, converted at the edge (standIn.ts). */
  #holder (standIn: number | undefined): Holder {
    return holderFromWire(standIn, this.#i.replicas)
  }

  /** A stand-in takes any well-formed key; the owner only one in its range, and none once it is leaving. */
  #checkHolder (req: ReadRequest): void {
    checkKey(req.key)
    if (req.holder.kind !== 'owner') return
    if (this.#leaving) throw new ChordError(ErrorCode.SHUTTING_DOWN, 'peer is leaving; its keys are moving to its successor')
    const { ring } = this.#i
    const pred = ring.predecessor
    if (pred != null && !inHalfOpen(hashToId(req.key), pred.id, ring.self.id)) {
      throw new ChordError(ErrorCode.NOT_OWNER, `key is not in (${describe(pred)}, self]`)
    }
  }

  /** The replica walk's candidates (pastRefusals.ts). */
  #successors (want: number): PeerRef[] {
    const { ring } = this.#i
    return walkCandidates(ring.successors.entries, ring.self.peerId, want)
  }

  /** The version a requester sent: present, written in its own name, and not too far ahead of our clock. */
  #checkVersion (ts: bigint | undefined, writer: Uint8Array | undefined, requester: string): Version {
    if (ts == null || ts === 0n || writer == null || writer.length === 0) throw new BadRequestError('a write must carry the version its entry peer minted')
    if (Buffer.compare(writer, peerIdBytes(requester)) !== 0) throw new BadRequestError('a write\'s version must be minted by the peer that sends it')
    this.#i.clock.check(ts)
    this.#i.clock.observe(ts)
    return { ts, writer }
  }

  /**
   * Coordinate a write at the version the entry minted: store it, replicate it, and
   * acknowledge only when our store and w replicas hold it at that version. A newer version
   * held here or at a replica is answered `superseded` (with that version), never acknowledged.
   */
  async #write (w: Write): Promise<StoreResult> {
    // A stand-in is a successor of an owner that refused; it writes for the owner. Replicas
    // are the next successors that do not refuse (a sloppy quorum; a copy past the owner's
    // r - 1 replicas is a stray that anti-entropy hands to them).
    this.#checkHolder(w)
    const rec: KeyRecord = { key: w.key, value: w.value, deleted: w.deleted, version: w.version }
    const mine = this.#i.store.apply([rec]).superseded[0]
    if (mine != null) return supersededBy(mine.version, 0)
    const want = copiesWanted(w.holder, this.#i.replicas)
    const peers = this.#successors(want)
    // A ring smaller than w acknowledges with every member it has.
    const quorum = writeQuorumFor({ writeQuorum: this.#i.writeQuorum, want, candidates: peers.length })
    const walk = walkPastRefusals(peers, want, async peer => await this.#replicate(peer, rec, quorum > 1 ? w.signal : undefined),
      answers => 1 + heldBy(answers) >= quorum || newestSuperseding(answers) != null)
    void walk.done.then(answers => { for (const a of answers) if (a.error != null && !a.refused) this.#i.log.debug({ peer: describe(a.peer), err: a.error.message }, 'replica write failed') })
    if (quorum <= 1) return { replicas: 1, ts: rec.version.ts, writer: rec.version.writer as Uint8Array<ArrayBuffer>, found: true, superseded: false }
    const answers = await walk.settled
    const replicas = 1 + heldBy(answers)
    const theirs = newestSuperseding(answers)
    if (theirs != null) return supersededBy(theirs, replicas)
    if (replicas < quorum) throw new ChordError(ErrorCode.UNREACHABLE, `write reached ${replicas} of the ${quorum} replicas it needs`)
    return { replicas, ts: rec.version.ts, writer: rec.version.writer as Uint8Array<ArrayBuffer>, found: true, superseded: false }
  }

  async #replicate (peer: PeerRef, rec: KeyRecord, signal: AbortSignal | undefined): Promise<ApplyResult> {
    return await this.#i.rpc.request(peer, MessageType.REPLICA_PUT, { records: [recordToWire(rec)] }, { timeoutMs: this.#i.rpcTimeoutMs, signal })
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
    return this.#i.intake.admit([rec], peer.peerId, 'answer').records[0]
  }
}

/** A remote requester's context: its Noise-authenticated peer id and the server's signal. */
function contextOf (ctx: RequestContext): CoordinatorContext {
  return { requester: ctx.remotePeer, signal: ctx.signal }
}

function supersededBy (v: Version, replicas: number): StoreResult {
  return { replicas, ts: v.ts, writer: v.writer as Uint8Array<ArrayBuffer>, found: true, superseded: true }
}
