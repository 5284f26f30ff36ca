import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { routeStep } from '../../daemon/ring/routeStep.js'
import {
  distinctFingersFullRing, expectedAccessPerPeer, expectedDistinctFingers, expectedFingersBeyond, expectedForwardingPerPeer,
  expectedForwardsPerLookup, expectedHops, expectedHopsFullRing, expectedKeysPerPeer, expectedMaxArcRatio, expectedRoutingState,
  expectedServicePerPeer, hopDistributionFullRing, hopsOffset, modelFor, poissonGapHops, relativeError, routingStateFullRing
} from '../../model/costModel.js'
import { ID_BITS } from '../../protocol/constants.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { fingerStart } from '../../protocol/ring.js'
import { simulate } from '../../tools/simulateHops.js'

const close = (actual: number, expected: number, tol: number, msg?: string): void => {
  assert.ok(Math.abs(actual - expected) <= tol, `${msg ?? ''} expected ${expected} ± ${tol}, got ${actual}`)
}

describe('full ring of 2^k peers', () => {
  test('k = 4: hops ~ [1, 4, 6, 4, 1] / 16, mean 2', () => {
    const pmf = hopDistributionFullRing(4)
    assert.deepEqual(pmf, [1, 4, 6, 4, 1].map(c => c / 16))
    assert.equal(expectedHopsFullRing(4), 2)
  })

  test('the pmf sums to 1 and has mean k/2 up to k = m', () => {
    for (const k of [0, 1, 7, 20, ID_BITS]) {
      const pmf = hopDistributionFullRing(k)
      assert.equal(pmf.length, k + 1)
      close(pmf.reduce((a, b) => a + b, 0), 1, 1e-12, `k=${k} sum`)
      close(pmf.reduce((a, p, h) => a + p * h, 0), k / 2, 1e-9, `k=${k} mean`)
    }
  })

  test('the daemon routing step on a real full ring gives exactly popcount hops (16 peers, every origin and owner)', () => {
    const k = 4
    const n = 2 ** k
    const spacing = 1n << BigInt(ID_BITS - k)
    const peers: PeerRef[] = Array.from({ length: n }, (_, i) => ({ peerId: `p${i}`, id: BigInt(i) * spacing, addrs: [] }))
    const fingersOf = (i: number): PeerRef[] => {
      const out: PeerRef[] = []
      for (let b = 0; b < ID_BITS; b++) {
        const start = fingerStart(peers[i].id, b)
        const j = Number((start + spacing - 1n) / spacing) % n // successor(start): first id >= start
        if (j !== i && !out.includes(peers[j])) out.push(peers[j])
      }
      return out
    }
    const fingers = peers.map((_, i) => fingersOf(i))
    assert.deepEqual(fingers.map(f => f.length), new Array(n).fill(distinctFingersFullRing(k)))
    const histogram = new Array(k + 1).fill(0)
    for (let from = 0; from < n; from++) {
      for (let owner = 0; owner < n; owner++) {
        const key = peers[owner].id // in (predecessor, owner]
        let cur = from
        let hops = 0
        for (;;) {
          const d = routeStep({ self: peers[cur], successors: [peers[(cur + 1) % n]], fingers: fingers[cur], target: key, fingersOnly: true })
          if (d.kind === 'owner') { assert.equal(d.owner.peerId, peers[owner].peerId); break }
          cur = Number(d.candidates[0].peerId.slice(1))
          hops++
        }
        histogram[hops]++
      }
    }
    assert.deepEqual(histogram.map(c => c / (n * n)), hopDistributionFullRing(k))
  })

  test('distinct fingers = k; routing state counted by hand', () => {
    for (const k of [1, 5, 10, 30]) assert.equal(distinctFingersFullRing(k), k)
    assert.equal(routingStateFullRing(0, 8), 0, 'alone')
    assert.equal(routingStateFullRing(3, 8), 7, 'N = 8: the list spans the ring')
    assert.equal(routingStateFullRing(4, 8), 9, 'N = 16: {1..8} + predecessor 15')
    assert.equal(routingStateFullRing(10, 8), 15, 'N = 1024: {1..8} + 16..512 + predecessor 1023')
    assert.equal(routingStateFullRing(10, 0), 11, 'no list: 10 fingers + predecessor')
    assert.equal(routingStateFullRing(1, 8), 1, 'N = 2: the other peer is everything')
  })
})

describe('hops for random ids', () => {
  test('trivial rings are exact', () => {
    assert.equal(expectedHops(1), 0)
    assert.equal(expectedHops(2), 0.5, 'the other peer is the predecessor unless we are')
    assert.equal(expectedHops(9, { fingersOnly: false, successors: 8 }), 1 - 1 / 9, 'the list spans the ring')
    close(expectedHops(3, { fingersOnly: true }), 2 / 3, 1e-12, 'floor 1 - 1/N')
  })

  test('(1/2) log2 N + c_r with the Poisson-gap offsets', () => {
    close(hopsOffset(1), -0.138, 0.001, 'c_1')
    close(hopsOffset(8), -0.697, 0.001, 'c_8')
    assert.equal(hopsOffset(0), hopsOffset(1), 'a list of 0 or 1 is the successor finger')
    assert.ok(hopsOffset(2) < hopsOffset(1) && hopsOffset(4) < hopsOffset(2) && hopsOffset(16) < hopsOffset(8), 'longer lists save hops')
    close(expectedHops(1024), 5 + hopsOffset(1), 1e-12)
    close(expectedHops(1024, { fingersOnly: false }), 5 + hopsOffset(8), 1e-12, 'default r = 8')
    close(expectedHops(64, { fingersOnly: false, successors: 4 }), 3 + hopsOffset(4), 1e-12)
    assert.equal(expectedHops(1024), expectedHops(1024, { fingersOnly: true, successors: 16 }), 'fingers only ignores r')
  })

  test('the model at finite N approaches the offset from above', () => {
    const d64 = poissonGapHops(64) - 3
    const d1024 = poissonGapHops(1024) - 5
    assert.ok(d64 > d1024 && d1024 > hopsOffset(1) - 0.001, `${d64} ${d1024}`)
    close(d64, -0.125, 0.002)
  })

  test('within 5% of rings routed by the daemon routing step (N = 64, seeded)', () => {
    const row = simulate(64, { lookups: 4000, successors: 8, seed: 7n })
    assert.ok(Math.abs(row.hopsFingers.err) < 0.05, `fingers: sim ${row.hopsFingers.sim} model ${row.hopsFingers.model}`)
    assert.ok(Math.abs(row.hopsAll.err) < 0.05, `all: sim ${row.hopsAll.sim} model ${row.hopsAll.model}`)
    assert.ok(Math.abs(row.distinctFingers.err) < 0.02, `fingers: sim ${row.distinctFingers.sim} model ${row.distinctFingers.model}`)
    assert.ok(Math.abs(row.routingState.err) < 0.02, `state: sim ${row.routingState.sim} model ${row.routingState.model}`)
  })
})

describe('routing state for random ids', () => {
  test('small rings by hand', () => {
    assert.equal(expectedDistinctFingers(1), 0)
    close(expectedDistinctFingers(2), 1, 1e-12, 'the one other peer')
    close(expectedFingersBeyond(3, 1), 2 / 3, 1e-9, 'N = 3: the predecessor is a finger iff a start lands on its arc: sum u(1-u)')
    close(expectedRoutingState(3, 1), 2, 1e-9, 'N = 3: successor + predecessor are everyone')
    close(expectedRoutingState(10, 8), 9, 1e-9, 'N = r + 2: list + predecessor are everyone')
    assert.equal(expectedRoutingState(9, 8), 8)
    assert.equal(expectedRoutingState(1, 8), 0)
  })

  test('distinct fingers ~ log2(N - 1) + gamma/ln 2 - 1/2, within ~0.75/N', () => {
    const c = 0.5772156649015329 / Math.LN2 - 0.5
    for (const n of [1024, 65536, 1_000_000]) close(expectedDistinctFingers(n), Math.log2(n - 1) + c, 1 / n + 1e-5, `N=${n}`)
  })

  test('state = r + fingers beyond the list + predecessor, growing like log2 N', () => {
    const s = expectedRoutingState(1024, 8)
    close(s, 8 + expectedFingersBeyond(1024, 8) + 1, 1e-9)
    close(expectedRoutingState(2048, 8) - s, 1, 0.01)
    assert.ok(expectedFingersBeyond(1024, 0) === expectedDistinctFingers(1024))
  })
})

describe('load per peer', () => {
  test('keys and service', () => {
    assert.equal(expectedKeysPerPeer(1000, 10, 3), 300)
    assert.equal(expectedKeysPerPeer(1000, 2, 3), 1000, 'fewer peers than replicas: everyone holds everything')
    assert.equal(expectedServicePerPeer(10, 5, 3), 15)
    assert.equal(expectedServicePerPeer(2, 5, 3), 10)
  })

  test('forwarding and access = lookups x E[hops]', () => {
    const h = expectedHops(256, { fingersOnly: false, successors: 8 })
    assert.equal(expectedForwardsPerLookup(256, { fingersOnly: false }), h)
    close(expectedForwardingPerPeer(256, 100, { fingersOnly: false }), 100 * h, 1e-9)
    close(expectedAccessPerPeer(256, 100, { fingersOnly: false }), 100 * h, 1e-9)
  })

  test('largest arc / mean = harmonic number', () => {
    assert.equal(expectedMaxArcRatio(1), 1)
    assert.equal(expectedMaxArcRatio(2), 1.5)
    close(expectedMaxArcRatio(3), 11 / 6, 1e-12)
  })

  test('relative error', () => {
    close(relativeError(110, 100), 0.1, 1e-12)
    close(relativeError(90, 100), -0.1, 1e-12)
    assert.equal(relativeError(0, 0), 0)
  })

  test('modelFor bundles the same numbers', () => {
    const m = modelFor(64, { successors: 8, replicas: 3, keys: 1000, lookupsPerPeer: 10, fingersOnly: false })
    assert.equal(m.route, 'all')
    assert.equal(m.hops, expectedHops(64, { fingersOnly: false, successors: 8 }))
    assert.equal(m.hopsFingersOnly, expectedHops(64))
    assert.equal(m.forwardsPerLookup, m.hops)
    close(m.forwardingPerPeer, 10 * m.hops, 1e-9)
    assert.equal(m.routingState, expectedRoutingState(64, 8))
    assert.equal(m.distinctFingers, expectedDistinctFingers(64))
    assert.equal(m.keysPerPeer, 1000 * 3 / 64)
    assert.equal(m.servicePerPeer, 30)
    assert.match(m.hopsFormula, /log2 N - 0\.697/)
    assert.equal(modelFor(64, { successors: 8, replicas: 3, keys: 0, lookupsPerPeer: 0, fingersOnly: true }).hops, expectedHops(64))
  })

  test('bad input is refused', () => {
    assert.throws(() => expectedHops(0), RangeError)
    assert.throws(() => expectedHops(2.5), RangeError)
    assert.throws(() => expectedKeysPerPeer(-1, 10, 3), RangeError)
    assert.throws(() => hopDistributionFullRing(-1), RangeError)
  })
})
