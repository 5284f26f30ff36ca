// The open-loop workload's key popularity: uniform, or Zipf(s) with P(i) proportional to 1/(i+1)^s.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { keySampler, parseDistribution } from '../../tools/lib/ratedWorkload.js'
import { seededRandom } from '../../tools/lib/stats.js'

describe('key distributions', () => {
  test('parseDistribution accepts uniform and zipf:<s>, refuses the rest', () => {
    assert.deepEqual(parseDistribution('uniform'), { kind: 'uniform' })
    assert.deepEqual(parseDistribution('zipf:1.2'), { kind: 'zipf', s: 1.2 })
    for (const bad of ['zipf', 'zipf:0', 'zipf:-1', 'normal', '']) assert.throws(() => parseDistribution(bad), /uniform or zipf/)
  })

  test('zipf:1 over 4 keys draws each key in proportion to 1/(i+1)', () => {
    const draw = keySampler(4, { kind: 'zipf', s: 1 }, seededRandom(11))
    const counts = [0, 0, 0, 0]
    const n = 60_000
    for (let i = 0; i < n; i++) counts[draw()]++
    const h = 1 + 1 / 2 + 1 / 3 + 1 / 4
    counts.forEach((c, i) => assert.ok(Math.abs(c / n - 1 / (i + 1) / h) < 0.01, `key ${i}: ${c / n}`))
  })

  test('uniform draws stay in range and cover every key', () => {
    const draw = keySampler(10, { kind: 'uniform' }, seededRandom(3))
    const seen = new Set<number>()
    for (let i = 0; i < 1000; i++) { const k = draw(); assert.ok(k >= 0 && k < 10); seen.add(k) }
    assert.equal(seen.size, 10)
  })
})
