// Join waves paced by the machine's load (tools/lib/joinPacing.ts): a wave waits while some
// process's event-loop p99 is past a limit (half the saturation limit: RPC timeout / 20), up to a bound.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { paceJoins, paceLimitMs, worstLoopP99 } from '../../tools/lib/joinPacing.js'
import type { ProcessLoad } from '../../tools/lib/machineLoad.js'

const T = { timeout: 10_000 }
const proc = (p99: number): ProcessLoad => ({ pid: 1, peers: 8, windowMs: 1_000, cpuMs: 0, rssMb: 100, loopDelayMs: { p50: 1, p99, max: p99 } })

/** A fake clock that the fake sleep moves, and samples served from a list (the last repeats). */
function fake (rounds: number[][]): { sample: () => Promise<ProcessLoad[]>, sleep: (ms: number) => Promise<void>, now: () => number, slept: number[] } {
  let t = 0
  let i = 0
  const slept: number[] = []
  return {
    sample: async () => rounds[Math.min(i++, rounds.length - 1)].map(proc),
    sleep: async ms => { slept.push(ms); t += ms },
    now: () => t,
    slept
  }
}

describe('join pacing', () => {
  test('the default limit is half the saturation limit', T, () => {
    assert.equal(paceLimitMs(2_000), 100)
  })

  test('the worst process decides', T, () => {
    assert.equal(worstLoopP99([proc(3), proc(250), proc(40)]), 250)
    assert.equal(worstLoopP99([]), 0)
  })

  test('no wait while every event loop is within RPC timeout / 20 (half the saturation limit)', T, async () => {
    const f = fake([[20, 99]])
    const r = await paceJoins({ ...f, limitMs: paceLimitMs(2_000), maxWaitMs: 30_000, pollMs: 1_000 })
    assert.deepEqual(r, { waitedMs: 0, worstP99Ms: 99, gaveUp: false, samples: 1 })
    assert.deepEqual(f.slept, [])
  })

  test('a lagging process holds the wave until its loop catches up', T, async () => {
    const f = fake([[20, 900], [450, 30], [70, 60]])
    const r = await paceJoins({ ...f, limitMs: paceLimitMs(2_000), maxWaitMs: 30_000, pollMs: 1_000 })
    assert.deepEqual(r, { waitedMs: 2_000, worstP99Ms: 70, gaveUp: false, samples: 3 })
    assert.deepEqual(f.slept, [1_000, 1_000])
  })

  test('a machine that stays saturated holds a wave no longer than maxWaitMs', T, async () => {
    const f = fake([[900]])
    const r = await paceJoins({ ...f, limitMs: paceLimitMs(2_000), maxWaitMs: 5_000, pollMs: 1_000 })
    assert.equal(r.gaveUp, true)
    assert.equal(r.waitedMs, 5_000)
    assert.equal(r.worstP99Ms, 900)
  })
})
