// The pure rules behind the fault guarantees (README "Faults and guarantees"): the bounded
// hybrid clock, the clock-skew monitor, the holder rule for replica writes, suspects, the
// member memory, and the write fence.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { RING_SIZE } from '../../protocol/ring.js'
import { explains, inArc, mayHoldKey, wraps, type Neighbourhood } from '../../daemon/keys/holderRule.js'
import { MemberMemory } from '../../daemon/ring/memberMemory.js'
import { SkewMonitor } from '../../daemon/keys/store/clockSkew.js'
import { MAX_TS, physicalMs, tsOfMs } from '../../protocol/version.js'
import { HybridClock } from '../../daemon/keys/store/hybridClock.js'
import { isDefiniteLocalRefusal, isDefiniteRefusal, WriteFence } from '../../daemon/keys/store/writeFence.js'
import { Suspects } from '../../daemon/ring/suspects.js'

const at = (k: number): bigint => (RING_SIZE / 100n) * BigInt(k)
const peer = (k: number): PeerRef => ({ peerId: `p${k}`, id: at(k), addrs: [] })

describe('HybridClock with a skew bound', () => {
  test('a remote timestamp further ahead than the bound is refused and never observed', () => {
    let now = 1_000_000
    const c = new HybridClock(() => now, 1000)
    const mine = c.next()
    const far = tsOfMs(now + 5 * 60_000)
    assert.throws(() => c.check(far), (e: unknown) => e instanceof ChordError && e.code === ErrorCode.CLOCK_SKEW && /ahead/.test(e.message))
    c.observe(far)
    assert.ok(physicalMs(c.next()) - now < 10, 'the clock did not jump to the far-future timestamp')
    const near = tsOfMs(now + 900)
    c.check(near)
    c.observe(near)
    assert.ok(c.next() > near, 'a timestamp within the bound is observed as HLC asks')
    now += 10
    assert.ok(c.next() > mine)
  })

  test('timestamps that do not fit the store (2^63 and up, or 0) are refused', () => {
    const c = new HybridClock(() => 1_000, Number.POSITIVE_INFINITY)
    assert.throws(() => c.check(MAX_TS + 1n), { code: ErrorCode.CLOCK_SKEW })
    assert.throws(() => c.check((1n << 64n) - 1n), { code: ErrorCode.CLOCK_SKEW })
    assert.throws(() => c.check(0n), { code: ErrorCode.CLOCK_SKEW })
    c.check(MAX_TS)
  })
})

describe('SkewMonitor (our clock against the neighbours\')', () => {
  const m = (): { s: SkewMonitor, clock: { t: number } } => {
    const clock = { t: 10_000_000 }
    return { s: new SkewMonitor({ maxSkewMs: 1000, now: () => clock.t }), clock }
  }

  test('no samples: healthy (a ring of one has nobody to disagree with)', () => {
    assert.deepEqual(m().s.status(), { offsetMs: null, peers: 0, disagreeing: 0, healthy: true })
  })

  test('Cristian\'s midpoint: a remote that read its clock mid-way agrees', () => {
    const { s, clock } = m()
    s.sample('a', clock.t + 50, clock.t, clock.t + 100)
    assert.equal(s.status().offsetMs, 0)
    assert.equal(s.status().healthy, true)
  })

  test('a clock minutes ahead of every neighbour is unhealthy; one skewed neighbour of three is not', () => {
    const { s, clock } = m()
    for (const id of ['a', 'b', 'c']) s.sample(id, clock.t - 5 * 60_000, clock.t, clock.t)
    const st = s.status()
    assert.equal(st.healthy, false)
    assert.equal(st.disagreeing, 3)
    assert.ok(st.offsetMs! > 4 * 60_000)
    const other = m()
    other.s.sample('a', other.clock.t + 5 * 60_000, other.clock.t, other.clock.t)
    other.s.sample('b', other.clock.t, other.clock.t, other.clock.t)
    other.s.sample('c', other.clock.t + 20, other.clock.t, other.clock.t)
    assert.equal(other.s.status().healthy, true, 'the majority agrees with us')
  })

  test('a gap the round trip can explain is no disagreement (a slow answer on a loaded machine)', () => {
    const { s, clock } = m()
    // The remote read its clock 600 ms before our midpoint, but the answer took 1.2 s: anywhere in it.
    s.sample('a', clock.t - 100, clock.t - 1200, clock.t)
    assert.equal(s.status().disagreeing, 0)
    s.sample('b', clock.t - 2000, clock.t - 100, clock.t)
    assert.equal(s.status().disagreeing, 1, 'a gap far beyond the round trip is')
  })

  test('samples expire, and readings of 0 (a peer that sends none) are ignored', () => {
    const { s, clock } = m()
    s.sample('a', 0, clock.t, clock.t)
    assert.equal(s.status().peers, 0)
    s.sample('a', clock.t - 60_000, clock.t, clock.t)
    assert.equal(s.status().healthy, false)
    clock.t += 61_000
    assert.equal(s.status().peers, 0)
  })
})

describe('holder rule: replica writes the ring explains', () => {
  // self at 50; predecessors 48, 45, 40 (nearest first); successors 55, 60.
  const n: Neighbourhood = { self: peer(50), predecessors: [peer(48), peer(45), peer(40)], successors: [peer(55), peer(60)] }

  test('keys in (farthest predecessor, self] may be held; others not', () => {
    assert.equal(mayHoldKey(n, at(41)), true)
    assert.equal(mayHoldKey(n, at(50)), true)
    assert.equal(mayHoldKey(n, at(40)), false, 'the farthest predecessor\'s own key belongs further back')
    assert.equal(mayHoldKey(n, at(51)), false, 'keys after us are our successors\'')
    assert.equal(mayHoldKey(n, at(90)), false)
  })

  test('senders inside the known arc (joiners included) are accepted; outsiders are not', () => {
    assert.equal(inArc(n, peer(45)), true)
    assert.equal(inArc(n, peer(40)), true)
    assert.equal(inArc(n, peer(47)), true, 'a peer between two known members: joining')
    assert.equal(inArc(n, peer(60)), true)
    assert.equal(inArc(n, peer(58)), true)
    assert.equal(inArc(n, peer(61)), false)
    assert.equal(inArc(n, peer(10)), false)
  })

  test('explains() needs both, and a known predecessor', () => {
    assert.deepEqual(explains(n, peer(45), at(44)), { ok: true })
    assert.equal(explains(n, peer(80), at(44)).ok, false)
    assert.equal(explains(n, peer(45), at(70)).ok, false)
    assert.equal(explains({ ...n, predecessors: [] }, peer(45), at(44)).ok, false)
  })

  test('a small ring, where the lists meet, explains everything', () => {
    const small: Neighbourhood = { self: peer(50), predecessors: [peer(30), peer(70)], successors: [peer(70), peer(30)] }
    assert.equal(wraps(small), true)
    assert.deepEqual(explains(small, peer(70), at(65)), { ok: true })
  })
})

describe('Suspects', () => {
  test('suspected until it answers; re-probed with a doubling backoff', () => {
    const clock = { t: 0 }
    const s = new Suspects({ now: () => clock.t, firstRetryMs: 100, maxRetryMs: 350 })
    s.suspect(peer(1))
    assert.equal(s.has('p1'), true)
    assert.deepEqual(s.due(10), [], 'not before the first retry')
    clock.t = 100
    assert.deepEqual(s.due(10).map(p => p.peerId), ['p1'])
    assert.deepEqual(s.due(10), [])
    clock.t = 299
    assert.deepEqual(s.due(10), [], 'backoff doubled to 200')
    clock.t = 300
    assert.equal(s.due(10).length, 1)
    clock.t = 300 + 350
    assert.equal(s.due(10).length, 1, 'capped at maxRetryMs')
    assert.equal(s.clear('p1'), true)
    assert.equal(s.has('p1'), false)
    assert.equal(s.clear('p1'), false)
  })

  test('a peer that answered wrongly stays out for a fixed time, whatever it answers meanwhile', () => {
    const clock = { t: 0 }
    const s = new Suspects({ now: () => clock.t, wrongForMs: 1000 })
    s.suspect(peer(1), 'wrong')
    assert.equal(s.clear('p1'), false, 'an answer does not clear a liar')
    assert.deepEqual(s.due(10), [], 'nor is it probed')
    s.suspect(peer(1), 'silent')
    clock.t = 999
    assert.equal(s.has('p1'), true)
    clock.t = 1000
    assert.equal(s.has('p1'), false)
  })

  test('bounded: the oldest suspect goes', () => {
    const s = new Suspects({ maxPeers: 2 })
    for (const k of [1, 2, 3]) s.suspect(peer(k))
    assert.deepEqual([s.has('p1'), s.has('p2'), s.has('p3')], [false, true, true])
  })
})

describe('MemberMemory', () => {
  test('candidates are lost members outside our view, failed ones backing off; a steady ring has none', () => {
    const clock = { t: 0 }
    const m = new MemberMemory({ now: () => clock.t, backoffMs: 100, maxBackoffMs: 1000 })
    for (const k of [1, 2, 3]) m.saw(peer(k))
    assert.deepEqual(m.candidates(() => false, 10), [], 'nobody was lost')
    for (const k of [1, 2, 3]) m.lost(`p${k}`)
    clock.t = 100
    assert.deepEqual(m.candidates(id => id === 'p2', 10).map(p => p.peerId).sort(), ['p1', 'p3'])
    m.failed('p1')
    assert.deepEqual(m.candidates(() => false, 10).map(p => p.peerId).sort(), ['p2', 'p3'])
    clock.t = 200
    assert.ok(m.candidates(() => false, 10).some(p => p.peerId === 'p1'), 'back after its backoff')
    m.failed('p1')
    clock.t = 350
    assert.ok(!m.candidates(() => false, 10).some(p => p.peerId === 'p1'), 'the backoff doubled')
    m.answered('p3')
    clock.t = 10_000
    assert.ok(!m.candidates(() => false, 10).some(p => p.peerId === 'p3'), 'an answer ends its being lost')
  })

  test('a bootstrap peer is checked when out of view, at most every longest backoff once it answers', () => {
    const clock = { t: 0 }
    const m = new MemberMemory({ now: () => clock.t, backoffMs: 100, maxBackoffMs: 1000 })
    m.saw(peer(9), undefined, { anchor: true })
    assert.deepEqual(m.candidates(() => false, 10).map(p => p.peerId), ['p9'])
    assert.deepEqual(m.candidates(() => true, 10), [], 'not while in view')
    m.answered('p9')
    clock.t = 999
    assert.deepEqual(m.candidates(() => false, 10), [])
    clock.t = 1000
    assert.deepEqual(m.candidates(() => false, 10).map(p => p.peerId), ['p9'])
  })

  test('bounded and forgetful', () => {
    const clock = { t: 0 }
    const m = new MemberMemory({ now: () => clock.t, maxPeers: 2, forgetAfterMs: 1000 })
    for (const k of [1, 2, 3]) m.saw(peer(k))
    assert.deepEqual([m.has('p1'), m.has('p2'), m.has('p3')], [false, true, true])
    m.saw(peer(4), 'p4')
    assert.equal(m.has('p4'), false, 'never ourselves')
    for (const k of [2, 3]) m.lost(`p${k}`)
    clock.t = 2000
    assert.deepEqual(m.candidates(() => false, 10), [])
    assert.equal(m.size, 0)
  })
})

describe('WriteFence (a failure is held back until no later write can be versioned below it)', () => {
  test('holds a failure until maxSkew past the newest version that may have landed', () => {
    let now = 1_000_000
    const clock = new HybridClock(() => now, 1000)
    const f = new WriteFence(clock, 1000)
    assert.equal(f.holdMs(), 0, 'nothing sent')
    const v1 = clock.next()
    f.sent(v1, false)
    assert.equal(f.holdMs(), 0, 'a definite refusal needs no hold')
    f.sent(v1, true)
    assert.equal(f.holdMs(), 1000)
    now += 400
    const v2 = clock.next()
    f.sent(v2, true)
    assert.equal(f.holdMs(), 1000, 'the newest ambiguous version counts')
    now += 1000
    assert.equal(f.holdMs(), 0)
  })

  test('which answers prove a write was not applied', () => {
    const remote = (code: ErrorCode): ChordError => new ChordError(code, 'x', { remote: true })
    assert.equal(isDefiniteRefusal(remote(ErrorCode.NOT_OWNER)), true)
    assert.equal(isDefiniteRefusal(remote(ErrorCode.CLOCK_SKEW)), true)
    assert.equal(isDefiniteRefusal(remote(ErrorCode.TIMEOUT)), false, 'it may have applied before running out of time')
    assert.equal(isDefiniteRefusal(remote(ErrorCode.UNREACHABLE)), false, 'a write that missed its quorum was applied somewhere')
    assert.equal(isDefiniteRefusal(new ChordError(ErrorCode.NOT_OWNER, 'x')), false, 'our own error says nothing about the remote')
    assert.equal(isDefiniteRefusal(new Error('socket hang up')), false)
    assert.equal(isDefiniteLocalRefusal(new ChordError(ErrorCode.NOT_OWNER, 'x')), true)
  })
})
