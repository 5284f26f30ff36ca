import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { ID_BITS } from '../../protocol/constants.js'
import { RING_SIZE, fingerStart, hexToId, idToHex } from '../../protocol/ring.js'
import { CHECK_DUTY_DIVISOR, MAX_POLL_MS, POLL_GROWTH, checkRing, idealOver, nextPollMs, pollMsFor, pollUntilIdeal, sortRing, successorOf, type RingCheck, type RingMember, type RingPointers } from '../../tools/lib/ringCheck.js'

const ok: RingCheck = { ideal: true, fingersIdeal: true, wrongFingers: 0, problems: [] }
const badFingers: RingCheck = { ideal: true, fingersIdeal: false, wrongFingers: 3, problems: ['3 fingers differ from the ideal'] }
const broken: RingCheck = { ideal: false, fingersIdeal: false, wrongFingers: 0, problems: ['ab12cd34: predecessor none'] }

/** A check that answers from a script, one entry per call, the last one repeated. */
function scripted (answers: RingCheck[]): { check: () => Promise<RingCheck>, calls: () => number } {
  let n = 0
  return { check: async () => answers[Math.min(n++, answers.length - 1)], calls: () => n }
}

describe('idealOver', () => {
  test('ideal at every poll over the window: polls from start to end', async () => {
    const s = scripted([ok])
    const r = await idealOver(s.check, { windowMs: 100, pollMs: 20 })
    assert.equal(r.ideal, true)
    assert.equal(r.broken, undefined)
    assert.ok(r.elapsedMs >= 100, `the last poll is at the window's end, got ${r.elapsedMs} ms`)
    // At least the first and one at the end; at most one per pollMs (timers never fire early).
    assert.ok(r.polls >= 2 && r.polls <= 7, `about window / poll checks, got ${r.polls}`)
    assert.equal(s.calls(), r.polls)
  })

  test('one bad poll in the middle fails it, and polling stops there', async () => {
    const s = scripted([ok, ok, broken, ok])
    const r = await idealOver(s.check, { windowMs: 10_000, pollMs: 5 })
    assert.equal(r.ideal, false)
    assert.equal(r.polls, 3)
    assert.equal(s.calls(), 3)
    assert.deepEqual(r.broken?.check.problems, broken.problems)
    assert.ok(r.elapsedMs < 10_000)
  })

  test('fingers: a wrong finger counts only when asked for', async () => {
    assert.equal((await idealOver(scripted([badFingers]).check, { windowMs: 20, pollMs: 5 })).ideal, true)
    assert.equal((await idealOver(scripted([badFingers]).check, { windowMs: 20, pollMs: 5, fingers: true })).ideal, false)
  })

  test('a ring over 16 peers is polled no faster than every 500 ms', () => {
    assert.equal(pollMsFor(16, 200), 200)
    assert.equal(pollMsFor(17, 200), 500)
    assert.equal(pollMsFor(128, 2000), 2000)
  })
})

/** n members at spread ids, and the pointers each would hold in the ideal ring (every finger right). */
function idealRing (n: number, successors: number): { members: RingMember[], pointers: RingPointers[] } {
  const members = sortRing(Array.from({ length: n }, (_, i) => ({ peerId: `p${i}`, ringId: idToHex(BigInt(2 * i + 1) * RING_SIZE / BigInt(2 * n)) })))
  const pointers = members.map((m, i) => {
    const self = hexToId(m.ringId)
    const fingers: Array<{ start: number, peerId: string }> = []
    for (let f = 0; f < ID_BITS; f++) {
      const peerId = successorOf(members, fingerStart(self, f)).peerId
      if (fingers.at(-1)?.peerId !== peerId) fingers.push({ start: f, peerId })
    }
    return {
      ...m,
      predecessor: members[(i - 1 + n) % n],
      successors: Array.from({ length: Math.min(successors, n - 1) }, (_, k) => ({ peerId: members[(i + 1 + k) % n].peerId })),
      fingers
    }
  })
  return { members, pointers }
}

describe('checkRing', () => {
  const { members, pointers } = idealRing(40, 8)
  const withPeer = (i: number, change: Partial<RingPointers>): RingPointers[] => pointers.map((p, j) => j === i ? { ...p, ...change } : p)

  test('the ideal ring is ideal, fingers included', () => {
    const c = checkRing(pointers, members, 8)
    assert.deepEqual(c, { ideal: true, fingersIdeal: true, wrongFingers: 0, problems: [] })
  })

  test('one wrong predecessor makes it not ideal', () => {
    const c = checkRing(withPeer(5, { predecessor: members[3] }), members, 8)
    assert.equal(c.ideal, false)
    assert.equal(c.fingersIdeal, false)
    assert.match(c.problems.join(), /predecessor/)
  })

  test('no predecessor, a short or reordered successor list: each makes it not ideal', () => {
    assert.equal(checkRing(withPeer(0, { predecessor: null }), members, 8).ideal, false)
    assert.equal(checkRing(withPeer(7, { successors: pointers[7].successors.slice(0, 7) }), members, 8).ideal, false)
    const s = [...pointers[9].successors]
    ;[s[2], s[3]] = [s[3], s[2]]
    assert.equal(checkRing(withPeer(9, { successors: s }), members, 8).ideal, false)
    // The last peer's list wraps past the top of the ring: skipping the wrap is caught too.
    assert.equal(checkRing(withPeer(39, { successors: pointers[38].successors }), members, 8).ideal, false)
  })

  test('a member that did not answer, or a peer that is not a member, makes it not ideal', () => {
    const missing = checkRing(pointers.slice(1), members, 8)
    assert.equal(missing.ideal, false)
    assert.match(missing.problems[0], /39 peers answered, 40 expected/)
    const stranger = checkRing([...pointers.slice(1), { ...pointers[0], peerId: 'x' }], members, 8)
    assert.equal(stranger.ideal, false)
  })

  test('a wrong finger leaves the ring ideal but not its fingers, and is counted', () => {
    // The last run (the farthest fingers) points at the wrong peer: every finger in it is wrong.
    const f = [...pointers[11].fingers]
    const last = f[f.length - 1]
    f[f.length - 1] = { start: last.start, peerId: last.peerId === 'p0' ? 'p1' : 'p0' }
    const c = checkRing(withPeer(11, { fingers: f }), members, 8)
    assert.equal(c.ideal, true)
    assert.equal(c.fingersIdeal, false)
    assert.equal(c.wrongFingers, ID_BITS - last.start)
  })

  test('successorOf wraps past the top of the ring', () => {
    assert.equal(successorOf(members, hexToId(members[39].ringId) + 1n).peerId, members[0].peerId)
    assert.equal(successorOf(members, hexToId(members[4].ringId)).peerId, members[4].peerId)
    assert.equal(successorOf(members, hexToId(members[4].ringId) + 1n).peerId, members[5].peerId)
  })
})

describe('pollUntilIdeal', () => {
  test('returns at the first ideal check', async () => {
    const s = scripted([broken, broken, ok])
    const r = await pollUntilIdeal(s.check, { timeoutMs: 10_000, pollMs: 5 })
    assert.equal(r.ideal, true)
    assert.equal(r.checks, 3)
    assert.equal(s.calls(), 3)
  })

  test('waits for the fingers only when asked', async () => {
    assert.equal((await pollUntilIdeal(scripted([badFingers]).check, { timeoutMs: 1_000, pollMs: 5 })).checks, 1)
    const r = await pollUntilIdeal(scripted([badFingers, badFingers, ok]).check, { timeoutMs: 1_000, pollMs: 5, fingers: true })
    assert.equal(r.checks, 3)
    assert.equal(r.fingersIdeal, true)
  })

  test('gives up at the timeout with the last check, having backed off', async () => {
    const s = scripted([broken])
    const r = await pollUntilIdeal(s.check, { timeoutMs: 600, pollMs: 20 })
    assert.equal(r.ideal, false)
    assert.ok(r.waitedMs >= 600 && r.waitedMs < 1_500, `waited ${r.waitedMs} ms`)
    // Pauses 20, 30, 45, 67, 101, 151, 227 ms... reach 600 ms within 8 checks; a fixed 20 ms would make ~30.
    assert.ok(r.checks <= 9, `${r.checks} checks`)
  })

  test('pauses grow to MAX_POLL_MS, and a slow check pauses at least (divisor - 1) times its own length', () => {
    assert.equal(nextPollMs(200, 1), 200 * POLL_GROWTH)
    assert.equal(nextPollMs(MAX_POLL_MS, 1), MAX_POLL_MS)
    assert.equal(nextPollMs(MAX_POLL_MS, 1_000), (CHECK_DUTY_DIVISOR - 1) * 1_000)
  })
})
