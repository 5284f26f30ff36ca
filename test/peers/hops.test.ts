// Routing is right, not only alive: on a fully populated ring of 2^k peers at equal
// spacing, greedy finger routing from a reaches the predecessor of a key's owner in
// exactly popcount(d) hops (Stoica et al. 2001, sec. 4.3 and the binomial argument
// behind "1/2 log2 N"), d being the distance a -> predecessor in spacing units.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { idToBytes } from '../../protocol/ring.js'
import { createTestnet, type Testnet, type TestPeer } from '../../tools/testnet.js'

const K = 4
const N = 2 ** K
const SPACING = 1n << BigInt(160 - K)

function popcount (x: number): number {
  let c = 0
  for (; x > 0; x >>= 1) c += x & 1
  return c
}

describe(`exact hop counts on a fully populated ring of 2^${K} peers`, () => {
  let net: Testnet
  const byIndex = new Map<number, TestPeer>()

  before(async () => {
    net = await createTestnet({
      peers: N,
      // --successors 1: only fingers route, or the successor list would shortcut the last hops.
      peerConfig: { successors: 1, replicas: 1, writeQuorum: 1, allowExplicitIds: true, stabilizeMs: 100, fixFingersMs: 30, checkPredecessorMs: 200 },
      configFor: i => ({ idHex: (BigInt(i) * SPACING).toString(16) })
    })
    for (const p of net.peers) byIndex.set(Number(BigInt('0x' + p.info.ringId) / SPACING), p)
    const c = await net.waitIdeal({ timeoutMs: 60_000, fingers: true })
    assert.ok(c.fingersIdeal, c.problems.join('; '))
  })
  after(async () => { await net?.stop() })

  for (const iterative of [false, true]) {
    test(`${iterative ? 'iterative' : 'recursive'}: every (peer, key) pair takes popcount(d) hops; the mean is k/2`, { timeout: 120_000 }, async () => {
      let total = 0
      for (let a = 0; a < N; a++) {
        for (let o = 0; o < N; o++) {
          const pred = (o - 1 + N) % N
          const d = (pred - a + N) % N
          // A key owned by o: its id lies in (pred, o]; use o's own id and the id just below it.
          for (const id of [BigInt(o) * SPACING, BigInt(o) * SPACING - 1n + (o === 0 ? 1n << 160n : 0n)]) {
            const r = await net.client.lookup(byIndex.get(a)!.target, { target: idToBytes(id) }, { fingersOnly: true, iterative })
            assert.equal(r.hops, popcount(d), `a=${a} o=${o} d=${d}`)
            assert.equal(r.path.length, r.hops + 1, 'path = entry peer + one peer per hop')
            total += r.hops
          }
        }
      }
      assert.equal(total / (2 * N * N), K / 2)
    })
  }

  test('the owner returned is successor(key)', { timeout: 60_000 }, async () => {
    const { toString } = await import('uint8arrays/to-string')
    for (let o = 0; o < N; o++) {
      const r = await net.client.lookup(byIndex.get((o + 5) % N)!.target, { target: idToBytes(BigInt(o) * SPACING - 7n + (o === 0 ? 1n << 160n : 0n)) }, { fingersOnly: true })
      assert.equal(toString(r.owner!.peerId, 'base58btc'), byIndex.get(o)!.info.peerId)
    }
  })
})
