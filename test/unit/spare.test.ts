// Spare capacity for choked peers: weighted water-filling (PropShare weights) and the token bucket.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { allocateSpare, TokenBucket } from '../../daemon/choking/spare.js'

const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0)
const near = (a: number, b: number, what: string): void => { assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} != ${b}`) }

describe('allocateSpare', () => {
  test('below capacity every demand is met and the rest is left as slack', () => {
    const r = allocateSpare(100, [{ peerId: 'a', demand: 10, weight: 1 }, { peerId: 'b', demand: 20, weight: 3 }])
    near(r.get('a')!, 10, 'a: its demand')
    near(r.get('b')!, 20, 'b: its demand')
  })

  test('above capacity shares follow weight, capped at demand', () => {
    // c asks little: it is filled; a and b split the rest 1:4.
    const r = allocateSpare(30, [{ peerId: 'a', demand: 100, weight: 1 }, { peerId: 'b', demand: 100, weight: 4 }, { peerId: 'c', demand: 5, weight: 10 }])
    near(r.get('c')!, 5, 'c gets its demand')
    near(r.get('a')!, 5, 'a: 1/5 of 25')
    near(r.get('b')!, 20, 'b: 4/5 of 25')
  })

  test('weight 0 (refused us, gave nothing) gets no share, even with capacity to spare', () => {
    const r = allocateSpare(50, [{ peerId: 'f', demand: 10, weight: 0 }, { peerId: 'a', demand: 1, weight: 1 }])
    assert.equal(r.get('f'), 0)
    near(r.get('a')!, 1, 'a: its demand')
  })

  test('a free-rider at the prior weight gets little beside contributors that gave', () => {
    const claims = [{ peerId: 'free', demand: 10, weight: 1 }, ...Array.from({ length: 9 }, (_, i) => ({ peerId: `c${i}`, demand: 10, weight: 20 }))]
    const r = allocateSpare(50, claims)
    assert.ok(r.get('free')! < 0.1 * r.get('c0')!, `free ${r.get('free')} vs c0 ${r.get('c0')}`)
    near(sum(r), 50, 'capacity handed out')
  })

  test('no capacity, no claims', () => {
    assert.equal(allocateSpare(0, [{ peerId: 'a', demand: 1, weight: 1 }]).get('a'), 0)
    assert.equal(allocateSpare(10, []).size, 0)
  })
})

describe('TokenBucket', () => {
  test('refills at its rate up to its burst', () => {
    const b = new TokenBucket(2, 2, 0)
    assert.equal(b.take(0), true)
    assert.equal(b.take(0), true)
    assert.equal(b.take(0), false)
    assert.equal(b.take(499), false)
    assert.equal(b.take(500), true)
    assert.equal(b.take(10_000), true)
    assert.equal(b.take(10_000), true)
    assert.equal(b.take(10_000), false, 'never more than the burst')
  })

  test('retune keeps what accrued and caps it at the new burst', () => {
    const b = new TokenBucket(10, 10, 0)
    b.retune(0.5, 1, 0)
    assert.equal(b.take(0), true)
    assert.equal(b.take(0), false)
    assert.equal(b.take(1999), false)
    assert.equal(b.take(2000), true)
  })
})
