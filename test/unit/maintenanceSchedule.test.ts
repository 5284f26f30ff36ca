// Adaptive maintenance after MIT lsd (chord/stabilize.C): quiet rounds stretch a period x1.2
// up to its bound, any change puts it back to the base at once; fixed mode never stretches.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Logger } from 'pino'
import { GROWTH, maintenanceBounds, nextPeriodMs, stabilizeGapMs, tasksToReset } from '../../daemon/host/maintenanceSchedule.js'
import { Periodic, type RunOutcome } from '../../daemon/host/periodic.js'
import { PeerTasks } from '../../daemon/host/tasks.js'
import type { RingChange } from '../../daemon/ring/ringState.js'
import { Suspects } from '../../daemon/ring/suspects.js'

const base = { stabilizeMs: 1000, fixFingersMs: 1000, checkPredecessorMs: 1000, repairMs: 5000 }

async function until (what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

describe('maintenance schedule', () => {
  test('a quiet round stretches the period x1.2 up to the bound; a change puts it back at once', () => {
    const b = { baseMs: 1000, maxMs: 20_000 }
    let p = b.baseMs
    const seen: number[] = []
    for (let i = 0; i < 20; i++) { p = nextPeriodMs(p, b, false); seen.push(p) }
    assert.equal(seen[0], 1000 * GROWTH)
    assert.ok(Math.abs(seen[1] - 1440) < 1e-9)
    assert.equal(seen[19], 20_000, 'stops at the bound')
    assert.ok(seen.every((x, i) => i === 0 || x >= seen[i - 1]))
    assert.equal(nextPeriodMs(20_000, b, true), 1000)
  })

  test('fixed mode keeps every base period; adaptive defaults to lsd\'s bounds unless given', () => {
    const fixed = maintenanceBounds({ ...base, maintenance: 'fixed', stabilizeMaxMs: 9000 })
    for (const x of Object.values(fixed)) assert.equal(x.maxMs, x.baseMs)
    assert.equal(nextPeriodMs(1000, fixed.stabilize, false), 1000)
    const adaptive = maintenanceBounds({ ...base, maintenance: 'adaptive' })
    assert.deepEqual(adaptive.stabilize, { baseMs: 1000, maxMs: 20_000 })
    assert.deepEqual(adaptive.fixFingers, { baseMs: 1000, maxMs: 16_000 })
    assert.deepEqual(adaptive.checkPredecessor, { baseMs: 1000, maxMs: 20_000 }, 'a predecessor\'s notifies come at most that far apart')
    assert.deepEqual(adaptive.repair, { baseMs: 5000, maxMs: 60_000 })
    assert.deepEqual(maintenanceBounds({ ...base, maintenance: 'adaptive', stabilizeMaxMs: 4000, fixFingersMaxMs: 3000, repairMaxMs: 7000 }).fixFingers, { baseMs: 1000, maxMs: 3000 })
    assert.equal(stabilizeGapMs({ ...base, maintenance: 'adaptive', rpcTimeoutMs: 500 }), 22_500)
    assert.equal(stabilizeGapMs({ ...base, maintenance: 'fixed', rpcTimeoutMs: 500 }), 1600)
  })
})

describe('Periodic with an adaptive period', () => {
  function periodic (outcome: () => RunOutcome | 'throw'): { p: Periodic, runs: () => number } {
    let runs = 0
    const p = new Periodic({
      name: 't',
      bounds: { baseMs: 10, maxMs: 100 },
      run: async () => {
        runs++
        const o = outcome()
        if (o === 'throw') throw new Error('peer gone')
        return o
      },
      onError: () => {}
    })
    return { p, runs: () => runs }
  }

  test('quiet runs stretch it to the bound; reset() puts it back to the base', async () => {
    const { p } = periodic(() => 'quiet')
    p.start()
    await until('the bound', () => p.periodMs === 100)
    p.reset()
    assert.equal(p.periodMs, 10)
    await p.stop()
  })

  test('a run that changed something or failed keeps the base period', async () => {
    for (const o of ['changed', undefined, 'throw'] as const) {
      const { p, runs } = periodic(() => o)
      p.start()
      await until('five runs', () => runs() >= 5)
      assert.equal(p.periodMs, 10, `after runs that returned ${String(o)}`)
      await p.stop()
    }
  })

  test('a reset during a quiet run keeps the period at the base', async () => {
    let p: Periodic | undefined
    p = new Periodic({ name: 't', bounds: { baseMs: 10, maxMs: 100 }, run: async () => { p!.reset(); return 'quiet' }, onError: () => {} })
    await p.runNow()
    await p.runNow()
    assert.equal(p.periodMs, 10)
  })
})

describe('PeerTasks in adaptive mode', () => {
  test('tasksToReset: a change resets the tasks it concerns (lsd: successor and finger stabilization on separate timers)', () => {
    assert.deepEqual(tasksToReset({ kind: 'successors', from: 0 }, 3), ['stabilize', 'repair'])
    assert.deepEqual(tasksToReset({ kind: 'successors', from: 1 }, 3), ['stabilize', 'repair'], 'index 1 holds a copy of our keys at r = 3')
    assert.deepEqual(tasksToReset({ kind: 'successors', from: 2 }, 3), ['stabilize'], 'past the replica set')
    assert.deepEqual(tasksToReset({ kind: 'successors', from: 0 }, 1), ['stabilize', 'repair'])
    assert.deepEqual(tasksToReset({ kind: 'predecessor' }, 3), ['check-predecessor', 'repair'])
    assert.deepEqual(tasksToReset({ kind: 'predecessors' }, 3), ['repair'])
    assert.deepEqual(tasksToReset({ kind: 'fingers' }, 3), ['fix-fingers'])
  })

  test('a change of the ring puts the periods it concerns back to their base, and no other', async () => {
    const watchers: Array<(c: RingChange) => void> = []
    const ring = { version: 0, watch: (fn: (c: RingChange) => void) => { watchers.push(fn) }, fingers: { version: 0 } }
    const HOUR = 3_600_000
    const t = new PeerTasks({
      config: { maintenance: 'adaptive', stabilizeMs: 10, fixFingersMs: 10, checkPredecessorMs: 10, repairMs: 10, healMs: HOUR, rpcTimeoutMs: 100, replicas: 3, choking: { rechokeMs: HOUR } as never },
      maintenance: { stabilize: async () => {}, checkPredecessor: async () => {}, fixFingers: async () => 0, heal: async () => 0 } as never,
      antiEntropy: { round: async () => ({ pushed: 0, pulled: 0, strays: 0, tombstones: 0 }) } as never,
      choker: { rechoke: () => {} } as never,
      rpc: {} as never,
      suspects: new Suspects(),
      ring: ring as never,
      log: { debug: () => {} } as unknown as Logger,
      signal: new AbortController().signal
    })
    const ALL = ['stabilize', 'check-predecessor', 'fix-fingers', 'repair'] as const
    const stretch = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) for (const name of ALL) await t.runNow(name)
      for (const [name, ms] of Object.entries(t.status().periodsMs)) assert.ok(ms > 10, `${name} stretched while quiet: ${ms}`)
    }
    const atBase = (): string[] => ALL.filter(name => t.status().periodsMs[name] === 10)
    const change = (c: RingChange): void => { ring.version++; for (const fn of watchers) fn(c) }

    await stretch()
    change({ kind: 'successors', from: 5 })
    assert.deepEqual(atBase(), ['stabilize'], 'a change deep in the successor list: stabilize only')
    await stretch()
    change({ kind: 'predecessor' })
    assert.deepEqual(atBase(), ['check-predecessor', 'repair'])
    await stretch()
    change({ kind: 'fingers' })
    assert.deepEqual(atBase(), ['fix-fingers'])
    await stretch()
    change({ kind: 'successors', from: 0 })
    assert.deepEqual(atBase(), ['stabilize', 'repair'])
    await t.stop()
  })
})
