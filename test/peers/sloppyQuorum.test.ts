// Keys with two free-riders among their three holders (docs/choking.md, sloppy quorum): on a
// ring of 6 peers at fixed positions where peers 2 and 3 free-ride, keys owned by 1 (both
// replicas refuse), by 2 (owner and first replica refuse) and by 3 stay writable and readable
// by every contributor, before and after anti-entropy moves the copies placed past the
// refusers back to the keys' holders.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { hashToId } from '../../protocol/ring.js'
import { createTestnet, type Testnet, type TestPeer } from '../../tools/testnet.js'
import { sortRing, successorOf } from '../../tools/lib/ringCheck.js'

const N = 6
const SPACING = (1n << 160n) / BigInt(N)
const FREE = new Set([2, 3])
const enc = new TextEncoder()
const dec = new TextDecoder()
const choking = { enabled: true, rechokeMs: 200, windowMs: 4000, capacity: 50, unchokeSlots: 4, optimisticSlots: 1, optimisticEvery: 3 }

describe('sloppy quorum past two refusing holders, on real sockets', { timeout: 120_000 }, () => {
  let net: Testnet
  const byPosition = new Map<number, TestPeer>()
  let contributors: TestPeer[]
  /** Keys whose owner is the peer at ring position `pos`. */
  const keysOwnedBy = (pos: number, n: number): Uint8Array[] => {
    const sorted = sortRing(net.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId })))
    const out: Uint8Array[] = []
    for (let i = 0; out.length < n && i < 100_000; i++) {
      const key = enc.encode(`owned-by-${pos}-${i}`)
      if (successorOf(sorted, hashToId(key)).peerId === byPosition.get(pos)!.info.peerId) out.push(key)
    }
    return out
  }
  const written = new Map<Uint8Array, Map<TestPeer, Uint8Array>>()

  before(async () => {
    net = await createTestnet({
      peers: N,
      peerConfig: { allowExplicitIds: true, stabilizeMs: 200, fixFingersMs: 200, checkPredecessorMs: 400, repairMs: 500, choking },
      configFor: i => ({ idHex: (BigInt(i) * SPACING).toString(16), ...(FREE.has(i) ? { choking: { ...choking, behavior: 'freerider' as const } } : {}) })
    })
    for (const p of net.peers) byPosition.set(Number(BigInt('0x' + p.info.ringId) / SPACING), p)
    contributors = [...byPosition].filter(([pos]) => !FREE.has(pos)).map(([, p]) => p)
    const ring = await net.waitIdeal({ timeoutMs: 30_000 })
    assert.ok(ring.ideal, ring.problems.join('\n'))
  })

  after(async () => { await net?.stop() })

  for (const pos of [1, 2, 3]) {
    test(`keys owned by peer ${pos} are written at a write quorum and read back by every contributor`, async () => {
      for (const key of keysOwnedBy(pos, 3)) {
        const values = new Map<TestPeer, Uint8Array>()
        for (const c of contributors) {
          const value = enc.encode(`${c.index}:${dec.decode(key)}`)
          const w = await net.client.put(c.target, key, value)
          assert.ok(w.replicas >= 2, `acknowledged by a write quorum, got ${w.replicas}`)
          const r = await net.client.get(c.target, key)
          assert.equal(r.found, true, `${c.index} reads ${dec.decode(key)}`)
          assert.equal(dec.decode(r.value), dec.decode(value))
          values.set(c, value)
        }
        written.set(key, values)
      }
    })
  }

  test('after anti-entropy has moved the copies, every key reads back the last value written', async () => {
    await new Promise(resolve => setTimeout(resolve, 4 * 500)) // four repair rounds
    for (const [key, values] of written) {
      const last = [...values.values()].at(-1)!
      for (const c of contributors) {
        const r = await net.client.get(c.target, key)
        assert.equal(r.found, true, `${c.index} reads ${dec.decode(key)}`)
        assert.equal(dec.decode(r.value), dec.decode(last))
      }
    }
    const ring = await net.waitIdeal({ timeoutMs: 10_000 })
    assert.ok(ring.ideal, ring.problems.join('\n'))
  })
})
