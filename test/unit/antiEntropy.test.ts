// Anti-entropy (daemon/keys/antiEntropy.ts) with the network stubbed. Stray cleanup: records outside
// (p_r, self] are pushed to their owner's holders and dropped, but only at the version pushed:
// one written while the push was on its way stays (issue 11, point 8). Sync: pages, and pulls
// through REPLICA_FETCH answers cut by bytes, bring a whole range over in one round.
import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pino } from 'pino'
import { MessageType, type Keys, type RangeDigests } from '../../protocol/chord.js'
import { HANDOFF_BATCH_BYTES, SYNC_PAGE_BYTES } from '../../protocol/constants.js'
import { toWire, type PeerRef } from '../../protocol/peerInfo.js'
import { hashToId, inHalfOpen, RING_SIZE } from '../../protocol/ring.js'
import { AntiEntropy, type AntiEntropyInit } from '../../daemon/keys/antiEntropy.js'
import { RecordStore, type KeyRecord } from '../../daemon/keys/store/recordStore.js'
import { recordToWire } from '../../daemon/keys/store/records.js'
import { answerPage } from '../../daemon/keys/syncPages.js'
import { RecordIntake } from '../../daemon/keys/recordIntake.js'
import type { RingState } from '../../daemon/ring/ringState.js'
import { tsOfMs } from '../../protocol/version.js'
import { HybridClock } from '../../daemon/keys/store/hybridClock.js'

const stores: RecordStore[] = []
after(() => { for (const s of stores) s.close() })
const at = async (fraction: number): Promise<PeerRef> => ({ peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString(), id: BigInt(Math.round(fraction * 1e6)) * RING_SIZE / 1_000_000n, addrs: ['/ip4/127.0.0.1/tcp/1'] })
/** An intake that takes everything (these tests are about paging and strays). */
const admitAll = { admit: (records: KeyRecord[]) => ({ records, refused: 0 }) }
const rec = (key: Uint8Array, ts: bigint): KeyRecord => ({ key, value: Uint8Array.of(1), version: { ts, writer: Uint8Array.of(9) }, deleted: false })

describe('stray cleanup', () => {
  test('drops strays it pushed, keeps one rewritten during the push', async () => {
    // Ring positions as fractions of the ring: p_r 0.25, pred 0.375, self 0.5; the strays' owner 0.75 (its pred 0.625).
    const [pr, pred, self, ownerPred, owner, ownerSucc] = await Promise.all([0.25, 0.375, 0.5, 0.625, 0.75, 0.875].map(at))
    const store = new RecordStore(undefined, 1 << 24)
    stores.push(store)
    const group: KeyRecord[] = []
    const elsewhere: KeyRecord[] = []
    while (group.length < 20 || elsewhere.length < 5) {
      const r = rec(randomBytes(16), 10n)
      const id = hashToId(r.key)
      if (inHalfOpen(id, ownerPred.id, owner.id) && group.length < 20) group.push(r)
      else if (inHalfOpen(id, pr.id, self.id) && elsewhere.length < 5) elsewhere.push(r)
    }
    store.apply([...group, ...elsewhere])
    const rewritten = { ...group[3], value: Uint8Array.of(2), version: { ts: 20n, writer: Uint8Array.of(9) } }
    const pushedTo: string[] = []
    const neighbors = new Map([[pred.peerId, { self: toWire(pred), predecessor: toWire(pr), successors: [toWire(self)] }], [owner.peerId, { self: toWire(owner), predecessor: toWire(ownerPred), successors: [toWire(ownerSucc)] }]])
    const init = {
      ring: { predecessor: pred, predecessors: [], self },
      rpc: {
        request: async (peer: PeerRef, type: MessageType) => {
          assert.equal(type, MessageType.GET_NEIGHBORS)
          return neighbors.get(peer.peerId)
        }
      },
      router: { lookup: async () => ({ owner, hops: 0, path: [] }) },
      store,
      keys: {
        replicaPeers: () => [],
        pushTo: async (h: PeerRef, recs: readonly KeyRecord[]) => {
          assert.equal(recs.length, group.length)
          // A newer write of one of them arrives while the first push is on its way.
          if (pushedTo.length === 0) store.apply([rewritten])
          pushedTo.push(h.peerId)
          return true
        }
      },
      verify: { allowExplicitIds: true },
      log: pino({ level: 'silent' }),
      replicas: 2,
      rpcTimeoutMs: 1000,
      lookupTimeoutMs: 1000,
      tombstoneTtlMs: 86_400_000,
      intake: admitAll
    } as unknown as AntiEntropyInit
    const out = await new AntiEntropy(init).round()
    assert.deepEqual(pushedTo, [owner.peerId, ownerSucc.peerId], 'pushed to the owner and its replica')
    assert.equal(out.strays, group.length - 1)
    assert.equal(store.get(rewritten.key)?.version.ts, 20n, 'the newer version stays')
    for (const r of group) if (r !== group[3]) assert.equal(store.get(r.key), undefined)
    for (const r of elsewhere) assert.ok(store.get(r.key) != null, 'records in (p_r, self] are ours to keep')
  })
})

describe('sync with a replica', () => {
  test('one round brings over a range many pages and many byte-cut fetch answers large', async () => {
    const [self, replica] = await Promise.all([0.5, 0.75].map(at))
    const local = new RecordStore(undefined, 1 << 30)
    const remote = new RecordStore(undefined, 1 << 30)
    stores.push(local, remote)
    // 600 records of 1 KiB keys and 8 KiB values: 5 MiB, so a REPLICA_FETCH of 256 keys is cut by bytes.
    remote.apply(Array.from({ length: 600 }, () => ({ ...rec(randomBytes(1024), 10n), value: randomBytes(8 * 1024) })))
    let fetches = 0
    let cut = 0
    let pages = 0
    const init = {
      ring: { predecessor: undefined, predecessors: [], self },
      rpc: {
        request: async (_peer: PeerRef, type: MessageType, body: unknown) => {
          if (type === MessageType.SYNC_DIGESTS) { pages++; return answerPage(remote, body as RangeDigests, SYNC_PAGE_BYTES) }
          assert.equal(type, MessageType.REPLICA_FETCH)
          fetches++
          // the rule of Replica.handleReplicaFetch (keys/replica.ts): stop past 2 x HANDOFF_BATCH_BYTES, at least one record.
          const out = []
          let bytes = 0
          for (const k of (body as Keys).keys) {
            const r = remote.get(k)
            if (r == null) continue
            bytes += r.key.length + r.value.length
            if (bytes > HANDOFF_BATCH_BYTES * 2 && out.length > 0) { cut++; break }
            out.push(recordToWire(r))
          }
          return { records: out }
        }
      },
      store: local,
      keys: { pushTo: async () => true },
      log: pino({ level: 'silent' }),
      replicas: 2,
      rpcTimeoutMs: 1000,
      intake: admitAll
    } as unknown as AntiEntropyInit
    const r = await new AntiEntropy(init).syncRange(replica, 0n, 0n) // the whole ring
    assert.equal(r.pulled, 600)
    assert.equal(local.size, 600, 'everything arrived in one round')
    assert.ok(pages >= 2, `${pages} SYNC_DIGESTS pages`)
    assert.ok(cut > 0 && fetches > 3, `${fetches} fetches, ${cut} cut by bytes`)
  })
})

describe('pulls', () => {
  test('a replica\'s REPLICA_FETCH answer brings only the keys asked for, at versions our clock accepts', async () => {
    const [self, replica] = await Promise.all([0.5, 0.75].map(at))
    const now = 1_800_000_000_000
    const local = new RecordStore(undefined, 1 << 24)
    const remote = new RecordStore(undefined, 1 << 24)
    stores.push(local, remote)
    const honest = rec(randomBytes(16), tsOfMs(now - 1000))
    const future = rec(randomBytes(16), tsOfMs(now + 10 * 60_000))
    const junk = rec(randomBytes(16), tsOfMs(now - 1000))
    remote.apply([honest, future])
    const init = {
      ring: { predecessor: undefined, predecessors: [], self },
      rpc: {
        request: async (_peer: PeerRef, type: MessageType, body: unknown) => {
          if (type === MessageType.SYNC_DIGESTS) return answerPage(remote, body as RangeDigests, SYNC_PAGE_BYTES)
          // The replica slips in a record nobody asked for.
          return { records: [...(body as Keys).keys.map(k => remote.get(k)).filter(r => r != null).map(r => recordToWire(r!)), recordToWire(junk)] }
        }
      },
      store: local,
      keys: { pushTo: async () => true },
      log: pino({ level: 'silent' }),
      replicas: 2,
      rpcTimeoutMs: 1000,
      intake: new RecordIntake({ ring: { self } as unknown as RingState, clock: new HybridClock(() => now, 500), log: pino({ level: 'silent' }) })
    } as unknown as AntiEntropyInit
    await new AntiEntropy(init).syncRange(replica, 0n, 0n)
    assert.ok(local.get(honest.key) != null, 'the honest record came over')
    assert.equal(local.get(future.key), undefined, 'the far-future one did not')
    assert.equal(local.get(junk.key), undefined, 'nor the one not asked for')
  })
})
