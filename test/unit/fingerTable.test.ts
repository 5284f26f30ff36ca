import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { FingerTable } from '../../daemon/ring/fingerTable.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { RING_SIZE, fingerStart } from '../../protocol/ring.js'

const peer = (n: number | bigint, name = `p${n}`): PeerRef => ({ peerId: name, id: BigInt(n), addrs: [] })

/** successor(target) over a ring given as peers sorted by id: the first id >= target, wrapping. */
function successorOf (sorted: readonly PeerRef[], target: bigint): PeerRef {
  return sorted.find(p => p.id >= target) ?? sorted[0]
}

/** Seeded 160-bit ids (mulberry32 words), so a failing ring can be reproduced. */
function randomIds (count: number, seed: number): bigint[] {
  let s = seed >>> 0
  const word = (): bigint => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return BigInt(((t ^ (t >>> 14)) >>> 0))
  }
  const out = new Set<bigint>()
  while (out.size < count) {
    let id = 0n
    for (let i = 0; i < 5; i++) id = (id << 32n) | word()
    out.add(id)
  }
  return [...out]
}

async function checkRing (ring: PeerRef[]): Promise<void> {
  const sorted = [...ring].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (let k = 0; k < sorted.length; k++) {
    const self = sorted[k]
    const succ = sorted[(k + 1) % sorted.length]
    const table = new FingerTable(self)
    const targets: bigint[] = []
    const lookups = await table.refresh(succ, async target => {
      targets.push(target)
      return successorOf(sorted, target)
    })
    for (let i = 0; i < 160; i++) {
      const want = successorOf(sorted, fingerStart(self.id, i))
      assert.equal(table.get(i)?.peerId, want.peerId, `self ${self.peerId} finger ${i}`)
    }
    assert.equal(lookups, targets.length)
    // Stoica et al. 2001 sec. 4.4: a pass costs one lookup per distinct finger, not m.
    assert.ok(lookups <= table.distinct().length, `self ${self.peerId}: ${lookups} lookups for ${table.distinct().length} fingers`)
  }
}

describe('FingerTable.refresh', () => {
  test('ideal ring of 16 peers at spacing 2^156: fingers are succ, +2, +4, +8', async () => {
    const ring = Array.from({ length: 16 }, (_, j) => peer(BigInt(j) << 156n, `p${j}`))
    await checkRing(ring)
    const table = new FingerTable(ring[0])
    const lookups = await table.refresh(ring[1], async t => successorOf(ring, t))
    assert.deepEqual(table.distinct().map(p => p.peerId), ['p1', 'p2', 'p4', 'p8'])
    assert.equal(lookups, 3, 'log2(16) distinct fingers, the successor is given')
    assert.deepEqual(table.runs().map(r => [r.start, r.peer.peerId]), [[0, 'p1'], [157, 'p2'], [158, 'p4'], [159, 'p8']])
  })

  test('50 random ids: every finger i is successor(n + 2^i)', async () => {
    await checkRing(randomIds(50, 2001).map((id, j) => peer(id, `r${j}`)))
  })

  test('ids crowded just below 2^160 wrap correctly', async () => {
    await checkRing([peer(RING_SIZE - 1n, 'top'), peer(RING_SIZE - 5n, 'm5'), peer(0n, 'zero'), peer(1n << 100n, 'mid')])
  })

  test('alone (successor is self): every finger is self and nothing is looked up', async () => {
    const self = peer(12345)
    const table = new FingerTable(self)
    const lookups = await table.refresh(self, async () => { throw new Error('no lookup expected') })
    assert.equal(lookups, 0)
    assert.equal(table.get(0)?.peerId, self.peerId)
    assert.equal(table.get(159)?.peerId, self.peerId)
    assert.deepEqual(table.distinct(), [])
  })

  test('an aborted signal stops the pass', async () => {
    const table = new FingerTable(peer(0))
    await assert.rejects(table.refresh(peer(1), async t => peer(t), AbortSignal.abort()), { name: 'AbortError' })
    assert.equal(table.get(0), undefined)
  })
})

describe('FingerTable bookkeeping', () => {
  const self = peer(0, 'self')
  const [a, b, c] = [peer(10, 'a'), peer(20, 'b'), peer(30, 'c')]

  test('distinct() excludes self and dedupes, in finger order', () => {
    const t = new FingerTable(self)
    t.set(0, b)
    t.set(1, b)
    t.set(2, self)
    t.set(5, a)
    t.set(9, b)
    t.set(159, c)
    assert.deepEqual(t.distinct().map(p => p.peerId), ['b', 'a', 'c'])
  })

  test('runs() compacts consecutive equal fingers; a gap or another peer starts a new run', () => {
    const t = new FingerTable(self)
    assert.deepEqual(t.runs(), [])
    for (const i of [0, 1, 2]) t.set(i, a)
    for (const i of [3, 4]) t.set(i, b)
    t.set(5, a)
    t.set(7, a) // finger 6 is unset
    t.set(8, { ...a, addrs: ['/ip4/1.2.3.4/tcp/5'] }) // same peer id, other object
    assert.deepEqual(t.runs().map(r => [r.start, r.peer.peerId]), [[0, 'a'], [3, 'b'], [5, 'a'], [7, 'a']])
  })

  test('remove(peerId) clears every entry of that peer and reports whether any was there', () => {
    const t = new FingerTable(self)
    for (let i = 0; i < 160; i++) t.set(i, i % 2 === 0 ? a : b)
    assert.equal(t.remove('a'), true)
    assert.equal(t.get(0), undefined)
    assert.equal(t.get(158), undefined)
    assert.equal(t.get(1)?.peerId, 'b')
    assert.deepEqual(t.distinct().map(p => p.peerId), ['b'])
    assert.equal(t.remove('a'), false)
    assert.equal(t.remove('nobody'), false)
  })

  test('set() rejects an index outside [0, 160)', () => {
    const t = new FingerTable(self)
    assert.throws(() => t.set(-1, a), RangeError)
    assert.throws(() => t.set(160, a), RangeError)
  })
})
