// Anti-entropy between replicas, so that r copies of every key come back after joins,
// leaves and crashes, at a cost that follows the difference rather than the store:
//  - sync: the owner of (pred, self] compares per-bucket digests of that range with each
//    of its r-1 replicas and moves only the records of buckets that differ, newer wins, in
//    pages bounded in bytes (syncPages.ts);
//  - strays: records outside the range this peer is a replica for ((p_r, self], p_r being
//    its r-th predecessor) are pushed to their current owner and replicas, then dropped at
//    the version pushed;
//  - tombstones older than their lifetime are forgotten.
// All of it is maintenance traffic, in bounded batches.
import type { Logger } from 'pino'
import { MessageType, type RangeDigests, type SyncMeta } from '../../protocol/chord.js'
import { MAX_SYNC_PAGES, SYNC_PAGE_BYTES } from '../../protocol/constants.js'
import { describe, fromWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import { hashToId, idToBytes, inHalfOpen } from '../../protocol/ring.js'
import type { Pushes } from './pushes.js'
import type { RingState } from '../ring/ringState.js'
import type { Router } from '../ring/lookups.js'
import type { RpcClient } from '../rpc/client.js'
import { bucketOf, type RecordStore } from './store/recordStore.js'
import { recordFromWire } from './store/records.js'
import type { RecordIntake } from './recordIntake.js'
import { answerPage, comparePage, nextStart } from './syncPages.js'

/** Most stray records moved in one round. */
const MAX_STRAYS = 256
const FETCH_CHUNK = 256

export interface AntiEntropyInit {
  ring: RingState
  rpc: RpcClient
  router: Router
  store: RecordStore
  /** Who holds copies of what we own, and how records are pushed to them (pushes.ts). */
  keys: Pick<Pushes, 'replicaPeers' | 'pushTo'>
  verify: VerifyOptions
  log: Logger
  replicas: number
  rpcTimeoutMs: number
  lookupTimeoutMs: number
  /** Tombstones older than this are forgotten, ms. */
  tombstoneTtlMs: number
  /** Pulled records pass here (their versions), as every record from another peer does. */
  intake: RecordIntake
}

export interface RoundResult { pushed: number, pulled: number, strays: number, tombstones: number }

export class AntiEntropy {
  readonly #i: AntiEntropyInit

  constructor (init: AntiEntropyInit) { this.#i = init }

  async round (signal?: AbortSignal): Promise<RoundResult> {
    const out: RoundResult = { pushed: 0, pulled: 0, strays: 0, tombstones: 0 }
    const { ring, keys, log } = this.#i
    const pred = ring.predecessor
    if (pred != null) {
      for (const peer of keys.replicaPeers()) {
        try {
          const r = await this.syncRange(peer, pred.id, ring.self.id, signal)
          out.pushed += r.pushed
          out.pulled += r.pulled
        } catch (err) {
          log.debug({ peer: describe(peer), err: (err as Error).message }, 'sync with replica failed')
        }
      }
    }
    out.strays = await this.#moveStrays(signal).catch(err => { log.debug({ err: (err as Error).message }, 'moving strays failed'); return 0 })
    // Expiry by this peer's own clock (when it stored the tombstone), never by the tombstone's timestamp.
    const old = this.#i.store.tombstonesStoredBefore(Date.now() - this.#i.tombstoneTtlMs, 1000)
    out.tombstones = this.#i.store.removeIfVersion(old.map(t => ({ ...t, value: new Uint8Array() })))
    if (out.pushed + out.pulled + out.strays > 0) log.info({ event: 'repair', ...out }, 'anti-entropy moved records')
    return out
  }

  /**
   * Bring `peer` and us to the same newest records for ring ids in (from, to], a page at a
   * time (daemon/keys/syncPages.ts), at most MAX_SYNC_PAGES a round: the next round goes on, and
   * finds the pages repaired here equal.
   */
  async syncRange (peer: PeerRef, from: bigint, to: bigint, signal?: AbortSignal): Promise<{ pushed: number, pulled: number, pages: number }> {
    const { rpc, store, keys } = this.#i
    let start = from
    let pushed = 0
    let pulled = 0
    let pages = 0
    while (pages < MAX_SYNC_PAGES) {
      const mine = store.digests(start, to)
      const res = await rpc.request(peer, MessageType.SYNC_DIGESTS, {
        from: idToBytes(from), to: idToBytes(to), digests: [...mine].map(([bucket, digest]) => ({ bucket, digest })),
        resumeAfter: start === from ? undefined : idToBytes(start)
      }, { timeoutMs: this.#i.rpcTimeoutMs * 2, signal })
      pages++
      const next = nextStart(res, start, to)
      const { push, pull } = comparePage(store, res, start, next ?? to)
      pulled += await this.#fetch(peer, pull, signal)
      if (push.length > 0) await keys.pushTo(peer, push, signal)
      pushed += push.length
      if (next == null) break
      start = next
    }
    return { pushed, pulled, pages }
  }

  /**
   * Pull records by key. REPLICA_FETCH answers are cut by bytes (replica.ts: a prefix of the
   * keys asked); the next request goes on after the last key answered. Returns records applied.
   */
  async #fetch (peer: PeerRef, keys: readonly Uint8Array[], signal?: AbortSignal): Promise<number> {
    let applied = 0
    for (let i = 0; i < keys.length;) {
      const ask = keys.slice(i, i + FETCH_CHUNK)
      const got = await this.#i.rpc.request(peer, MessageType.REPLICA_FETCH, { keys: ask as Array<Uint8Array<ArrayBuffer>> }, { timeoutMs: this.#i.rpcTimeoutMs * 2, signal })
      // Only the keys we asked for, at versions our clock accepts: a replica cannot slip others in.
      const asked = new Set(ask.map(k => Buffer.from(k).toString('latin1')))
      const records = got.records.filter(r => asked.has(Buffer.from(r.key).toString('latin1'))).map(recordFromWire)
      applied += this.#i.store.apply(this.#i.intake.admit(records, peer.peerId, 'answer').records).applied
      const answered = new Set(got.records.map(r => Buffer.from(r.key).toString('latin1')))
      let last = -1
      for (let j = ask.length - 1; j >= 0 && last < 0; j--) if (answered.has(Buffer.from(ask[j]).toString('latin1'))) last = j
      // Nothing answered: none of these keys is there any more.
      i += last < 0 ? ask.length : last + 1
    }
    return applied
  }

  /** SYNC_DIGESTS: name the buckets whose digests differ and list our records in them, one page bounded in bytes. */
  readonly handleSyncDigests = async (req: RangeDigests): Promise<SyncMeta> => answerPage(this.#i.store, req, SYNC_PAGE_BYTES)

  /**
   * Our r-th predecessor, or undefined if the chain is broken or wraps round to us (a small
   * ring). The predecessor list has it when it is long enough (no RPC); otherwise ask back.
   */
  async #rthPredecessor (signal?: AbortSignal): Promise<PeerRef | undefined> {
    const { ring, rpc } = this.#i
    const list = ring.predecessors
    if (list.length >= this.#i.replicas && list[0].peerId === ring.predecessor?.peerId) return list[this.#i.replicas - 1]
    let p = ring.predecessor
    for (let k = 1; k < this.#i.replicas && p != null; k++) {
      if (p.peerId === ring.self.peerId) return undefined
      const nb = await rpc.request(p, MessageType.GET_NEIGHBORS, {}, { timeoutMs: this.#i.rpcTimeoutMs, signal })
      p = nb.predecessor == null ? undefined : fromWire(nb.predecessor, this.#i.verify)
    }
    return p == null || p.peerId === ring.self.peerId ? undefined : p
  }

  /**
   * Records outside (p_r, self] are not ours to keep: push them to the owner of their range
   * and its replicas, and drop them once every one of those holds them.
   */
  async #moveStrays (signal?: AbortSignal): Promise<number> {
    const { ring, store, rpc, keys, router } = this.#i
    const pr = await this.#rthPredecessor(signal)
    if (pr == null) return 0
    const strays = store.range(ring.self.id, pr.id, MAX_STRAYS)
    if (strays.length === 0) return 0
    const first = hashToId(strays[0].key)
    const owner = (await router.lookup(first, { timeoutMs: this.#i.lookupTimeoutMs, signal, tag: 'maintenance' })).owner
    const nb = await rpc.request(owner, MessageType.GET_NEIGHBORS, {}, { timeoutMs: this.#i.rpcTimeoutMs, signal })
    const ownerPred = nb.predecessor == null ? undefined : fromWire(nb.predecessor, this.#i.verify)
    const holders = [owner, ...nb.successors.map(s => fromWire(s, this.#i.verify))].slice(0, this.#i.replicas)
    if (ownerPred == null || holders.some(h => h.peerId === ring.self.peerId)) return 0
    const group = strays.filter(r => inHalfOpen(hashToId(r.key), ownerPred.id, owner.id))
    if (group.length === 0) return 0
    for (const h of holders) if (!(await keys.pushTo(h, group, signal))) return 0
    // Only the versions pushed: one written here meanwhile is newer than what the holders got.
    const removed = store.removeIfVersion(group)
    this.#i.log.info({ event: 'handoff', to: describe(owner), keys: removed, kept: group.length - removed, bucket: bucketOf(first) }, 'moved records to their owner and replicas')
    return removed
  }
}
