import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { requestBudgetMs, StallClock } from '../../daemon/rpc/deadline.js'

describe('StallClock', () => {
  test('ticks on time: nothing unaccounted', () => {
    let now = 1_000
    const c = new StallClock(100, () => now)
    for (let i = 0; i < 10; i++) { now += 100; c.tick() }
    now += 60
    assert.equal(c.unaccountedMs(), 0)
  })

  test('a stall shows as the time past one interval since the last tick while the timer has not run', () => {
    let now = 0
    const c = new StallClock(100, () => now)
    now = 100; c.tick()
    // A loop blocked for 3 s that reads its sockets before its timers.
    now = 3_150
    assert.equal(c.unaccountedMs(), 2_950)
  })

  test('a stall the timer saw first (SIGCONT: timers before I/O) still counts for input read before the loop settles it', () => {
    let now = 0
    const c = new StallClock(100, () => now)
    now = 100
    assert.equal(c.tick(), false, 'on time')
    now = 3_150
    assert.equal(c.tick(), true, '2950 ms late')
    now = 3_151
    assert.equal(c.unaccountedMs(), 2_950, 'the frame read in the same loop turn')
    c.settle()
    assert.equal(c.unaccountedMs(), 0, 'input arriving after the stall is not charged for it')
  })

  test('chronic lag counts as what it is, not more', () => {
    let now = 0
    const c = new StallClock(100, () => now)
    for (let i = 0; i < 10; i++) { now += 130; c.tick() } // every tick 30 ms late
    assert.equal(c.unaccountedMs(), 30)
    c.settle()
    now += 60
    assert.equal(c.unaccountedMs(), 0)
    now += 100
    assert.equal(c.unaccountedMs(), 60, 'then the ongoing stall shows')
  })
})

describe('requestBudgetMs', () => {
  const bounds = { defaultMs: 8_000, maxMs: 8_000 }
  test('the requester\'s deadline when it is within the bound', () => {
    assert.equal(requestBudgetMs(2_000, bounds, 0), 2_000)
  })
  test('no deadline: the default', () => {
    assert.equal(requestBudgetMs(0, bounds, 0), 8_000)
  })
  test('a longer deadline (49 days) is cut at the server\'s bound', () => {
    assert.equal(requestBudgetMs(0xffffffff, bounds, 0), 8_000)
    assert.equal(requestBudgetMs(0xffffffff, { defaultMs: 1_000, maxMs: 3_000 }, 0), 3_000)
  })
  test('time the process was stalled is taken off; nothing left means do not start', () => {
    assert.equal(requestBudgetMs(2_000, bounds, 500), 1_500)
    assert.ok(requestBudgetMs(2_000, bounds, 2_000) <= 0)
    assert.ok(requestBudgetMs(0xffffffff, bounds, 9_000) <= 0, 'the cut applies before the stall is taken off')
    assert.equal(requestBudgetMs(2_000, bounds, -5), 2_000)
  })
})
