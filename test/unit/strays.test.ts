// Anti-entropy's stray cleanup (daemon/antiEntropy.ts) with the network stubbed: records
// outside (p_r, self] are pushed to their owner's holders and dropped, but only at the version
// pushed: one written while the push was on its way stays (issue 11, point 8).
import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pino } from 'pino'
import { MessageType } from '../../protocol/chord.js'
import { toWire, type PeerRef } from '../../protocol/peerInfo.js'
import { hashToId, inHalfOpen, RING_SIZE } from '../../protocol/ring.js'
import { AntiEntropy, type AntiEntropyInit } from '../../daemon/antiEntropy.js'
import { RecordStore, type KeyRecord } from '../../daemon/storage/recordStore.js'

const stores: RecordStore[] = []
after(() => { for (const s of stores) s.close() })
const at = async (fraction: number): Promise<PeerRef> => ({ peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString(), id: BigInt(Math.round(fraction * 1e6)) * RING_SIZE / 1_000_000n, addrs: ['/ip4/127.0.0.1/tcp/1'] })
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
      ring: { predecessor: pred, self },
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
      tombstoneTtlMs: 86_400_000
    } as unknown as AntiEntropyInit
    const out = await new AntiEntropy(init).round()
    assert.deepEqual(pushedTo, [owner.peerId, ownerSucc.peerId], 'pushed to the owner and its replica')
    assert.equal(out.strays, group.length - 1)
    assert.equal(store.get(rewritten.key)?.version.ts, 20n, 'the newer version stays')
    for (const r of group) if (r !== group[3]) assert.equal(store.get(r.key), undefined)
    for (const r of elsewhere) assert.ok(store.get(r.key) != null, 'records in (p_r, self] are ours to keep')
  })
})
