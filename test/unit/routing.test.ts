import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { canOwn, ownerPastExcluded, routeStep, type RouteDecision, type RouteInput } from '../../daemon/ring/routeStep.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { RING_SIZE, distance, fingerStart, inOpen } from '../../protocol/ring.js'

const peer = (n: number | bigint, name = `p${n}`): PeerRef => ({ peerId: name, id: BigInt(n), addrs: [] })

function step (input: Partial<RouteInput> & Pick<RouteInput, 'self' | 'target'>): RouteDecision {
  return routeStep({ successors: [], fingers: [], fingersOnly: false, ...input })
}

function candidates (d: RouteDecision): string[] {
  assert.equal(d.kind, 'forward')
  return d.kind === 'forward' ? d.candidates.map(p => p.peerId) : []
}

describe('routeStep', () => {
  const self = peer(100)
  const succ = peer(110)
  const fingers = [peer(110), peer(120), peer(200), peer(1000), peer(RING_SIZE - 50n, 'neg50')]

  test('owner when the target is in (self, successor]', () => {
    for (const target of [101n, 105n, 110n]) {
      const d = step({ self, successors: [succ, peer(120)], fingers, target })
      assert.deepEqual(d, { kind: 'owner', owner: succ }, `target ${target}`)
    }
  })

  test('target == self is not owned by the successor: forwarded round the ring', () => {
    const d = step({ self, successors: [succ], fingers, target: 100n })
    assert.deepEqual(candidates(d), ['neg50', 'p1000', 'p200', 'p120', 'p110'])
  })

  test('alone (no successors, or self as successor): self owns every target', () => {
    for (const target of [0n, 99n, 100n, 101n, RING_SIZE - 1n]) {
      assert.deepEqual(step({ self, target, fingers }), { kind: 'owner', owner: self })
      assert.deepEqual(step({ self, successors: [self], target, fingers }), { kind: 'owner', owner: self })
    }
  })

  test('candidates lie in (self, target), closest preceding first', () => {
    const target = 1000n
    const d = step({ self, successors: [succ, peer(115)], fingers, target })
    const got = candidates(d)
    // Stoica et al. 2001 fig. 5, closest_preceding_finger: scan from the farthest finger down.
    assert.deepEqual(got, ['p200', 'p120', 'p115', 'p110'], 'p1000 == target is not strictly before it')
    if (d.kind === 'forward') {
      for (const p of d.candidates) assert.ok(inOpen(p.id, self.id, target))
      for (let i = 1; i < d.candidates.length; i++) {
        assert.ok(distance(self.id, d.candidates[i - 1].id) > distance(self.id, d.candidates[i].id))
      }
    }
  })

  test('wrap-around target: candidates past 2^160 ordered by clockwise distance', () => {
    const hi = peer(RING_SIZE - 10n, 'hi')
    const d = step({ self: hi, successors: [peer(RING_SIZE - 5n, 's')], fingers: [peer(3n), peer(RING_SIZE - 5n, 's'), peer(50n), peer(500n)], target: 60n })
    assert.deepEqual(candidates(d), ['p50', 'p3', 's'])
  })

  test('no candidate duplicates, and self never a candidate', () => {
    const d = step({ self, successors: [succ, peer(120), succ], fingers: [...fingers, self, peer(120)], target: 1000n })
    assert.deepEqual(candidates(d), ['p200', 'p120', 'p110'])
  })

  test('exclude set is honoured, even for the successor', () => {
    const d = step({ self, successors: [succ, peer(115)], fingers, target: 1000n, exclude: new Set(['p200', 'p110']) })
    assert.deepEqual(candidates(d), ['p120', 'p115'])
  })

  test('fingersOnly ignores successor-list entries beyond the first', () => {
    const successors = [succ, peer(130), peer(300)]
    const base = { self, successors, fingers: [peer(200)], target: 1000n }
    assert.deepEqual(candidates(step({ ...base, fingersOnly: false })), ['p300', 'p200', 'p130', 'p110'])
    assert.deepEqual(candidates(step({ ...base, fingersOnly: true })), ['p200', 'p110'])
  })

  test('only the successor precedes the target; with it excluded the list is empty, not owner', () => {
    const d = step({ self, successors: [succ], fingers: [succ], target: 105n + 1000n })
    assert.deepEqual(candidates(d), ['p110'])
    const d2 = step({ self, successors: [succ], fingers: [], target: 2000n, exclude: new Set(['p110']) })
    assert.deepEqual(d2, { kind: 'forward', candidates: [] })
  })
})

function popcount (n: number): number {
  let c = 0
  for (; n > 0; n >>= 1) c += n & 1
  return c
}

describe('greedy routing on a full ring of 2^k peers', () => {
  for (const k of [4, 5]) {
    test(`k=${k}: forwards to the owner's predecessor = popcount(distance in peers), mean k/2`, () => {
      const N = 1 << k
      const spacing = 1n << BigInt(160 - k)
      const ring = Array.from({ length: N }, (_, j) => peer(BigInt(j) * spacing, `n${j}`))
      const succOf = (t: bigint): PeerRef => ring[Number(((t + spacing - 1n) / spacing) % BigInt(N))]
      const fingersOf = ring.map(p => {
        const out: PeerRef[] = []
        for (let i = 0; i < 160; i++) {
          const f = succOf(fingerStart(p.id, i))
          if (f !== p && !out.includes(f)) out.push(f)
        }
        return out
      })
      assert.equal(fingersOf[0].length, k, 'fingers of n0 are n1, n2, n4, ...')
      let total = 0
      for (let a = 0; a < N; a++) {
        for (let o = 0; o < N; o++) {
          const pred = (o - 1 + N) % N
          const want = popcount((pred - a + N) % N)
          // Any key in (pred(o), o] is owned by o: try both ends of that arc.
          for (const target of [ring[o].id, (ring[pred].id + 1n) % RING_SIZE]) {
            let at = a
            let forwards = 0
            for (;;) {
              const d = routeStep({ self: ring[at], successors: [ring[(at + 1) % N]], fingers: fingersOf[at], target, fingersOnly: true })
              if (d.kind === 'owner') {
                assert.equal(d.owner, ring[o], `owner of ${target} from n${a}`)
                break
              }
              assert.ok(d.candidates.length > 0, `stuck at n${at}`)
              at = ring.indexOf(d.candidates[0])
              forwards++
              assert.ok(forwards <= k, `n${a} -> n${o}: more than k forwards`)
            }
            total += forwards
            assert.equal(at, pred, 'the owner is announced by its predecessor')
            assert.equal(forwards, want, `n${a} -> owner n${o}`)
          }
        }
      }
      // Stoica et al. 2001 sec. 6.2: mean path length (1/2) log2 N; exact for a full ring.
      assert.equal(total / (2 * N * N), k / 2)
    })
  }
})

describe('ownerPastExcluded: the owner our successor list names past peers routed around', () => {
  const self = peer(100)
  const successors = [peer(200), peer(300), peer(400)]
  const out = (...ids: string[]): { has: (id: string) => boolean } => ({ has: id => ids.includes(id) })

  test('the entry just past an excluded predecessor of the target owns it', () => {
    assert.equal(ownerPastExcluded({ self, successors, target: 250n, out: out('p200') })?.peerId, 'p300')
    assert.equal(ownerPastExcluded({ self, successors, target: 300n, out: out('p200') })?.peerId, 'p300', 'the interval is (prev, s]')
    assert.equal(ownerPastExcluded({ self, successors, target: 350n, out: out('p200', 'p300') })?.peerId, 'p400')
  })

  test('nothing when the predecessor of the target is not routed around, or the owner itself is', () => {
    assert.equal(ownerPastExcluded({ self, successors, target: 250n, out: out() }), undefined)
    assert.equal(ownerPastExcluded({ self, successors, target: 250n, out: out('p200', 'p300') }), undefined)
    assert.equal(ownerPastExcluded({ self, successors, target: 150n, out: out('p200') }), undefined, 'we precede it: routeStep names the owner')
  })

  test('nothing when the list does not span the target', () => {
    assert.equal(ownerPastExcluded({ self, successors, target: 450n, out: out('p400') }), undefined)
    assert.equal(ownerPastExcluded({ self, successors: [], target: 450n, out: out() }), undefined)
  })
})

describe('canOwn: an owner a next hop names must lie past the target, seen from that hop', () => {
  const via = peer(100)

  test('target in (via, owner]: can own it', () => {
    assert.equal(canOwn({ target: 150n, via, owner: peer(200) }), true)
    assert.equal(canOwn({ target: 200n, via, owner: peer(200) }), true)
    assert.equal(canOwn({ target: RING_SIZE - 1n, via: peer(RING_SIZE - 10n), owner: peer(5) }), true, 'wrapping')
  })

  test('an owner before the target, or the hop itself, cannot', () => {
    assert.equal(canOwn({ target: 150n, via, owner: peer(140) }), false)
    assert.equal(canOwn({ target: 150n, via, owner: via }), false)
  })
})
