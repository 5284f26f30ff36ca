import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { compareVersions, physicalMs, type Version } from '../../protocol/version.js'
import { HybridClock } from '../../daemon/keys/store/hybridClock.js'
import { seededRandom } from '../../tools/lib/stats.js'

const v = (ts: bigint, ...writer: number[]): Version => ({ ts, writer: new Uint8Array(writer) })
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0)

/** A seeded PRNG so failures reproduce. */
const prng = seededRandom

describe('compareVersions (the conflict rule)', () => {
  test('the larger timestamp wins whatever the writers', () => {
    assert.ok(compareVersions(v(2n, 0), v(1n, 255)) > 0)
    assert.ok(compareVersions(v(1n, 255), v(2n, 0)) < 0)
    assert.ok(compareVersions(v(1n << 60n, 1), v((1n << 60n) - 1n, 9, 9, 9)) > 0)
  })

  test('equal timestamps: the writer with the larger bytes wins', () => {
    assert.ok(compareVersions(v(7n, 1, 3), v(7n, 1, 2)) > 0)
    assert.ok(compareVersions(v(7n, 1, 2), v(7n, 1, 3)) < 0)
    // byte order, not length or numeric value
    assert.ok(compareVersions(v(7n, 2), v(7n, 1, 255, 255)) > 0)
    assert.ok(compareVersions(v(7n, 1), v(7n, 1, 0)) < 0, 'a prefix sorts first')
  })

  test('equal ts and equal writer bytes are the same write (0), even as distinct arrays', () => {
    assert.equal(compareVersions(v(42n, 5, 6, 7), v(42n, 5, 6, 7)), 0)
    const a = v(42n, 5, 6, 7)
    assert.equal(compareVersions(a, a), 0)
    assert.notEqual(compareVersions(v(42n, 5, 6, 7), v(42n, 5, 6, 8)), 0)
    assert.notEqual(compareVersions(v(42n, 5, 6, 7), v(43n, 5, 6, 7)), 0)
  })

  test('is a total order on random samples (antisymmetric, transitive, consistent)', () => {
    const rnd = prng(0xc0ffee)
    const sample = (): Version => {
      // few distinct values, so ties on ts and on writer are common
      const len = 1 + Math.floor(rnd() * 2)
      return v(BigInt(Math.floor(rnd() * 4)), ...Array.from({ length: len }, () => Math.floor(rnd() * 3)))
    }
    const xs = Array.from({ length: 40 }, sample)
    let ties = 0
    for (const a of xs) {
      assert.equal(compareVersions(a, a), 0)
      for (const b of xs) {
        const ab = sign(compareVersions(a, b))
        assert.equal(ab, 0 - sign(compareVersions(b, a)) || 0, 'antisymmetric')
        const same = a.ts === b.ts && Buffer.compare(a.writer, b.writer) === 0
        assert.equal(ab === 0, same, 'zero exactly for the same version')
        if (ab === 0) ties++
        for (const c of xs) {
          if (ab <= 0 && compareVersions(b, c) <= 0) assert.ok(compareVersions(a, c) <= 0, 'transitive')
        }
      }
    }
    assert.ok(ties > xs.length, 'the sample exercises equal versions')
    // sorting with it gives a sequence that is non-decreasing under the rule from any start order
    const sorted = [...xs].sort(compareVersions)
    const sorted2 = [...xs].reverse().sort(compareVersions)
    for (let i = 1; i < sorted.length; i++) assert.ok(compareVersions(sorted[i - 1]!, sorted[i]!) <= 0)
    assert.deepEqual(sorted.map(x => [x.ts, [...x.writer]]), sorted2.map(x => [x.ts, [...x.writer]]))
  })
})

describe('HybridClock', () => {
  test('the physical part is the wall clock in ms << 16', () => {
    const c = new HybridClock(() => 1234.9)
    const t = c.next()
    assert.equal(t, 1234n << 16n)
    assert.equal(physicalMs(t), 1234)
    assert.equal(physicalMs((99n << 16n) + 65535n), 99)
  })

  test('strictly increasing while the wall clock stands still', () => {
    const c = new HybridClock(() => 1000)
    const ts = Array.from({ length: 100 }, () => c.next())
    for (let i = 1; i < ts.length; i++) assert.ok(ts[i]! > ts[i - 1]!, `step ${i}`)
    assert.equal(ts[99], (1000n << 16n) + 99n)
    assert.equal(physicalMs(ts[99]!), 1000)
  })

  test('strictly increasing when the wall clock goes backwards, and follows it forward again', () => {
    const walls = [5000, 4000, 3000, 4999, 5000, 7000]
    let i = 0
    const c = new HybridClock(() => walls[i++]!)
    const ts = walls.map(() => c.next())
    for (let j = 1; j < ts.length; j++) assert.ok(ts[j]! > ts[j - 1]!, `step ${j}: ${ts[j - 1]} -> ${ts[j]}`)
    assert.equal(physicalMs(ts[4]!), 5000, 'stays at the largest physical time seen')
    assert.equal(ts[5], 7000n << 16n, 'a later wall clock resets the logical counter')
  })

  test('observe() of a future timestamp makes next() exceed it', () => {
    const c = new HybridClock(() => 1000)
    const future = (9000n << 16n) + 17n
    c.observe(future)
    const t = c.next()
    assert.ok(t > future)
    assert.ok(c.next() > t)
  })

  test('observe() of a past timestamp does not move the clock back', () => {
    const c = new HybridClock(() => 1000)
    const a = c.next()
    c.next()
    c.observe(1n)
    c.observe(a)
    assert.equal(c.next(), (1000n << 16n) + 2n)
  })

  test('defaults to Date.now', () => {
    const before = Date.now()
    const t = new HybridClock().next()
    const after = Date.now()
    assert.ok(physicalMs(t) >= before && physicalMs(t) <= after)
  })
})
