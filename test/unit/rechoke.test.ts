// The choking decision (BEP 3) as a pure function: ranking, slots, optimistic rotation,
// 3x weight of new peers, determinism under a seeded random source.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DEFAULT_RECHOKE, INITIAL_STATE, isUnchoked, rechoke, type ChokeState, type Contribution } from '../../daemon/choking/rechoke.js'
import { seededRandom } from '../../tools/lib/stats.js'

const c = (peerId: string, gave: number, firstSeenRound = -100, interested = true): Contribution => ({ peerId, gave, interested, firstSeenRound })

describe('rechoke', () => {
  test('the slots - 1 interested peers that gave the most get the regular slots', () => {
    const peers = [c('a', 5), c('b', 50), c('c', 20), c('d', 1), c('e', 30)]
    const s = rechoke(INITIAL_STATE, peers, DEFAULT_RECHOKE, seededRandom(1))
    assert.deepEqual(s.regular, ['b', 'e', 'c'])
    assert.equal(s.optimistic.length, 1)
    assert.ok(['a', 'd'].includes(s.optimistic[0]))
  })

  test('uninterested peers and peers that gave nothing get no regular slot', () => {
    const s = rechoke(INITIAL_STATE, [c('a', 100, -100, false), c('b', 0), c('c', 7)], DEFAULT_RECHOKE, seededRandom(1))
    assert.deepEqual(s.regular, ['c'])
    assert.deepEqual(s.optimistic, ['b'])
    assert.equal(isUnchoked(s, 'a'), false)
  })

  test('ties are broken by peer id: the decision is deterministic', () => {
    const s = rechoke(INITIAL_STATE, [c('z', 5), c('m', 5), c('q', 5), c('b', 5)], DEFAULT_RECHOKE, seededRandom(3))
    assert.deepEqual(s.regular, ['b', 'm', 'q'])
    assert.deepEqual(s.optimistic, ['z'])
  })

  test('the optimistic slot stays for optimisticEvery rounds, then rotates', () => {
    const peers = [c('a', 9), c('b', 8), c('c', 7), ...Array.from({ length: 20 }, (_, i) => c(`x${i}`, 0))]
    let s: ChokeState = INITIAL_STATE
    const seen: string[] = []
    const rand = seededRandom(42)
    for (let r = 0; r < 9; r++) { s = rechoke(s, peers, DEFAULT_RECHOKE, rand); seen.push(s.optimistic[0]) }
    assert.equal(seen[0], seen[1]); assert.equal(seen[1], seen[2])
    assert.equal(seen[3], seen[4]); assert.equal(seen[4], seen[5])
    assert.equal(seen[6], seen[7])
    assert.ok(new Set(seen).size >= 2, 'it rotated at least once in three periods')
  })

  test('new peers are drawn about 3x as often as old ones', () => {
    const peers = [c('a', 9), c('b', 8), c('c', 7), c('new', 0, 0), c('old1', 0), c('old2', 0), c('old3', 0)]
    const rand = seededRandom(7)
    let newWins = 0
    const draws = 6000
    for (let i = 0; i < draws; i++) {
      const s = rechoke(INITIAL_STATE, peers, DEFAULT_RECHOKE, rand)
      if (s.optimistic[0] === 'new') newWins++
    }
    // weights 3 : 1 : 1 : 1 -> P(new) = 1/2.
    assert.ok(Math.abs(newWins / draws - 0.5) < 0.03, `new peer drawn ${newWins / draws}`)
  })

  test('same seed, same decisions; a promoted optimistic peer frees its slot', () => {
    const peers = [c('a', 3), c('b', 2), c('c', 1), c('d', 0), c('e', 0)]
    const run = (seed: number): string[] => {
      const rand = seededRandom(seed)
      let s: ChokeState = INITIAL_STATE
      const out: string[] = []
      for (let r = 0; r < 6; r++) { s = rechoke(s, peers, DEFAULT_RECHOKE, rand); out.push([...s.regular, '|', ...s.optimistic].join(',')) }
      return out
    }
    assert.deepEqual(run(5), run(5))
    let s = rechoke(INITIAL_STATE, peers, DEFAULT_RECHOKE, seededRandom(9))
    const opt = s.optimistic[0]
    s = rechoke(s, peers.map(p => p.peerId === opt ? { ...p, gave: 100 } : p), DEFAULT_RECHOKE, seededRandom(9))
    assert.ok(s.regular.includes(opt))
    assert.equal(s.optimistic.length, 1)
    assert.notEqual(s.optimistic[0], opt)
  })
})
