// Who holds a key's request (daemon/keys/standIn.ts): the Holder converts to the wire's
// stand_in and back unchanged, every rule on it answers as the stand_in integer did before the
// sum type (the integer rules are written out here as the reference), and the order in which
// stand-ins are tried around a refusing owner.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { readRefusal } from '../../daemon/keys/quorums.js'
import { shuffle } from '../../daemon/ring/shuffle.js'
import {
  copiesWanted, holderFromWire, holderToWire, OWNER, STAND_IN_SPARES, standInAt, standInOrder, standInReach, type Candidate, type Holder
} from '../../daemon/keys/standIn.js'

const peer = (name: string): PeerRef => ({ peerId: name, id: BigInt(name.charCodeAt(0)), addrs: [] })
const names = (cs: readonly Candidate[]): string[] => cs.map(c => c.peer.peerId)
const ranks = (cs: readonly Candidate[]): number[] => cs.map(c => holderToWire(c.holder))
const ringSizes = [1, 2, 3, 4, 5, 6]

describe('the stand_in wire field', () => {
  test('0 and absent are the owner; a rank below r is a replica, from r on a spare', () => {
    assert.deepEqual(holderFromWire(undefined, 3), OWNER)
    assert.deepEqual(holderFromWire(0, 3), OWNER)
    assert.deepEqual(holderFromWire(1, 3), { kind: 'replica', rank: 1 })
    assert.deepEqual(holderFromWire(2, 3), { kind: 'replica', rank: 2 })
    assert.deepEqual(holderFromWire(3, 3), { kind: 'spare', rank: 3 })
    assert.deepEqual(holderFromWire(1, 1), { kind: 'spare', rank: 1 }, 'with one copy there is no replica to stand in')
  })

  test('wire -> Holder -> wire is the identity', () => {
    for (const r of ringSizes) {
      assert.equal(holderToWire(holderFromWire(undefined, r)), 0)
      for (let n = 0; n <= 12; n++) assert.equal(holderToWire(holderFromWire(n, r)), n, `stand_in ${n}, r ${r}`)
    }
  })

  test('Holder -> wire -> Holder is the identity', () => {
    for (const r of ringSizes) {
      const holders: Holder[] = [OWNER, ...Array.from({ length: 10 }, (_, k) => standInAt(k + 1, r))]
      for (const h of holders) assert.deepEqual(holderFromWire(holderToWire(h), r), h)
    }
  })
})

// The rules as the coordinator wrote them on the integer before the sum type.
const integerRules = {
  checksOwnership: (standIn: number): boolean => !(standIn > 0),
  want: (standIn: number, r: number): number => Math.max(0, r - (standIn > 0 ? 2 : 1)),
  readRefusal: (standIn: number, r: number, w: number, reached: number, found: boolean): string | undefined => {
    const readQuorum = r - w + 1
    if (standIn > 0 && reached < readQuorum) return `stand-in read reached ${reached} replicas, a read quorum is ${readQuorum}`
    if (standIn >= r && !found) return `stand-in ${standIn} is past the replica set and holds no copy`
    return undefined
  }
}

describe('rules on the Holder answer as the integer did', () => {
  test('only the owner checks that the key is in its range', () => {
    for (const r of ringSizes) for (let n = 0; n <= 10; n++) assert.equal(holderFromWire(n, r).kind === 'owner', integerRules.checksOwnership(n), `stand_in ${n}`)
  })

  test('copies placed besides the coordinator\'s own: r - 1 for the owner, r - 2 for a stand-in', () => {
    for (const r of ringSizes) for (let n = 0; n <= 10; n++) assert.equal(copiesWanted(holderFromWire(n, r), r), integerRules.want(n, r), `stand_in ${n}, r ${r}`)
    assert.equal(copiesWanted(OWNER, 3), 2)
    assert.equal(copiesWanted(standInAt(1, 3), 3), 1)
    assert.equal(copiesWanted(standInAt(1, 1), 1), 0, 'never below zero')
  })

  test('when a read is refused (read quorum, a spare that found nothing)', () => {
    for (const r of ringSizes) {
      for (let w = 1; w <= r; w++) {
        for (let n = 0; n <= r + STAND_IN_SPARES + 1; n++) {
          for (let reached = 1; reached <= r + 1; reached++) {
            for (const found of [false, true]) {
              assert.equal(readRefusal(holderFromWire(n, r), { replicas: r, writeQuorum: w, reached, found }), integerRules.readRefusal(n, r, w, reached, found),
                `stand_in ${n}, r ${r}, w ${w}, reached ${reached}, found ${found}`)
            }
          }
        }
      }
    }
  })
})

// The order the stand-ins were tried in before the rule left aroundOwner.ts's RPC, by rank.
function integerOrder (owner: PeerRef, successors: PeerRef[], r: number, w: number, distrusts: (id: string) => boolean, random: () => number): { first: number[], again: number[] } {
  const all = successors.slice(0, Math.max(1, r - 1) + STAND_IN_SPARES).map((p, k) => ({ peer: p, rank: k + 1 })).filter(s => s.peer.peerId !== owner.peerId)
  const trusted = all.filter(s => !distrusts(s.peer.peerId))
  const m = 1 + Math.max(0, Math.min(r - w, w - 1))
  const order = [...shuffle(trusted.filter(s => s.rank <= m), random), ...trusted.filter(s => s.rank > m)]
  const ownerAgain = distrusts(owner.peerId) ? [] : [{ peer: owner, rank: 0 }]
  return { first: [...order, ...all.filter(s => distrusts(s.peer.peerId))].map(s => s.rank), again: [...ownerAgain, ...order].map(s => s.rank) }
}

/** A seeded random source (mulberry32), so two runs shuffle alike. */
function seeded (seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('standInOrder', () => {
  const owner = peer('o')
  const succ = ['a', 'b', 'c', 'd', 'e', 'f'].map(peer)

  test('reach: the owner\'s r - 1 replicas, at least one, and two spares', () => {
    assert.deepEqual(ringSizes.map(standInReach), [3, 3, 4, 5, 6, 7])
  })

  test('r = 3, w = 2: ranks 1 and 2 shuffled, then the spares 3 and 4 in ring order; later passes ask the owner first', () => {
    const first = standInOrder({ owner, successors: succ, replicas: 3, writeQuorum: 2, random: () => 0 })
    assert.deepEqual(names(first.first), ['b', 'a', 'c', 'd'])
    assert.deepEqual(first.first.map(c => c.holder), [standInAt(2, 3), standInAt(1, 3), { kind: 'spare', rank: 3 }, { kind: 'spare', rank: 4 }])
    assert.deepEqual(names(first.again), ['o', 'b', 'a', 'c', 'd'])
    assert.deepEqual(first.again[0].holder, OWNER)
    const other = standInOrder({ owner, successors: succ, replicas: 3, writeQuorum: 2, random: () => 0.99 })
    assert.deepEqual(names(other.first), ['a', 'b', 'c', 'd'], 'the shuffle decides between ranks 1 and 2 only')
  })

  test('m = 1 + min(r - w, w - 1) ranks are shuffled: r = 5, w = 3 shuffles three', () => {
    const seen = new Set<string>()
    for (let s = 0; s < 200; s++) {
      const o = standInOrder({ owner, successors: succ, replicas: 5, writeQuorum: 3, random: seeded(s) })
      seen.add(names(o.first).slice(0, 3).join(''))
      assert.deepEqual(names(o.first).slice(3), ['d', 'e', 'f'])
    }
    assert.equal(seen.size, 6, 'every order of the first three')
  })

  test('the owner in its own successor list (a small ring) is left out, the ranks keep their places', () => {
    const o = standInOrder({ owner, successors: [peer('a'), owner, peer('b')], replicas: 3, writeQuorum: 2, random: () => 0.99 })
    assert.deepEqual(names(o.first), ['a', 'b'])
    assert.deepEqual(ranks(o.first), [1, 3])
  })

  test('peers judged refusers go last, once; a judged owner is not asked again', () => {
    const o = standInOrder({ owner, successors: succ, replicas: 3, writeQuorum: 2, random: () => 0.99, distrusts: id => id === 'a' || id === 'o' })
    assert.deepEqual(names(o.first), ['b', 'c', 'd', 'a'])
    assert.deepEqual(names(o.again), ['b', 'c', 'd'])
  })

  test('no successors: nothing to try', () => {
    assert.deepEqual(standInOrder({ owner, successors: [], replicas: 3, writeQuorum: 2 }).first, [])
    assert.deepEqual(standInOrder({ owner, successors: [owner], replicas: 3, writeQuorum: 2 }).first, [])
  })

  test('the same order as the rank rule before the Holder, for every r, w and refuser set', () => {
    for (const r of ringSizes) {
      for (let w = 1; w <= r; w++) {
        for (let mask = 0; mask < 1 << 4; mask++) {
          const distrusts = (id: string): boolean => ['o', 'a', 'c', 'e'].some((d, k) => (mask & (1 << k)) !== 0 && d === id)
          const got = standInOrder({ owner, successors: succ, replicas: r, writeQuorum: w, distrusts, random: seeded(mask * 31 + r * 7 + w) })
          const want = integerOrder(owner, succ, r, w, distrusts, seeded(mask * 31 + r * 7 + w))
          assert.deepEqual({ first: ranks(got.first), again: ranks(got.again) }, want, `r ${r}, w ${w}, refusers ${mask}`)
        }
      }
    }
  })
})
