import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { idealOver, pollMsFor, type RingCheck } from '../../tools/lib/ringCheck.js'

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
