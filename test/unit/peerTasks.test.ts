// A peer's periodic tasks without sockets: each runs its part's round with the peer's
// lifetime signal; a failed run is logged unless the peer is stopping; stop waits for a run.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Logger } from 'pino'
import { PeerTasks, type PeerTasksInit } from '../../daemon/host/tasks.js'
import { Suspects } from '../../daemon/ring/suspects.js'

const HOUR = 3_600_000

function tasks (o: { round?: (signal: AbortSignal) => Promise<void>, maintenance?: 'fixed' | 'adaptive', suspects?: Suspects } = {}): { t: PeerTasks, life: AbortController, logged: string[], calls: string[] } {
  const life = new AbortController()
  const logged: string[] = []
  const calls: string[] = []
  const init: PeerTasksInit = {
    config: { maintenance: o.maintenance ?? 'fixed', stabilizeMs: HOUR, checkPredecessorMs: HOUR, repairMs: HOUR, fixFingersMs: HOUR, healMs: HOUR, rpcTimeoutMs: 100, replicas: 3, choking: { rechokeMs: HOUR } as never },
    maintenance: {
      stabilize: async () => { calls.push('stabilize') },
      heal: async (n: number) => { calls.push(`heal ${n}`) }
    } as never,
    antiEntropy: { round: o.round ?? (async () => { calls.push('repair'); return { pushed: 0, pulled: 0, strays: 0, tombstones: 0 } }) } as never,
    choker: { rechoke: () => { calls.push('rechoke') } } as never,
    rpc: {} as never,
    suspects: o.suspects ?? new Suspects(),
    ring: { version: 0, watch: () => {}, fingers: { version: 0 } } as never,
    log: { debug: (_o: unknown, msg: string) => { logged.push(msg) } } as unknown as Logger,
    signal: life.signal
  }
  return { t: new PeerTasks(init), life, logged, calls }
}

describe('PeerTasks', () => {
  test('a task run now runs its part\'s round', async () => {
    const { t, calls } = tasks()
    await t.runNow('stabilize')
    await t.runNow('repair')
    await t.runNow('rechoke')
    await t.runNow('heal')
    await t.runNow('suspects') // no suspect is due: nothing to ping
    assert.deepEqual(calls, ['stabilize', 'repair', 'rechoke', 'heal 2'])
  })

  test('a failed run is logged while the peer runs, not once it stops', async () => {
    const { t, life, logged } = tasks({ round: async () => { throw new Error('replica gone') } })
    await t.runNow('repair')
    assert.deepEqual(logged, ['repair failed'])
    life.abort()
    await t.runNow('repair')
    assert.deepEqual(logged, ['repair failed'])
  })

  test('adaptive: the suspects\' look stretches while nobody is suspected, and a new suspect brings it back at once', async () => {
    const suspects = new Suspects()
    const { t } = tasks({ maintenance: 'adaptive', suspects })
    const base = t.periodMs('suspects')
    for (let i = 0; i < 5; i++) await t.runNow('suspects')
    assert.ok(t.periodMs('suspects') > base * 2, `stretched: ${t.periodMs('suspects')} ms`)
    suspects.suspect({ peerId: 'stalled', id: 1n, addrs: [] })
    assert.equal(t.periodMs('suspects'), base)
  })

  test('fixed: the suspects\' look keeps its period', async () => {
    const { t } = tasks()
    const base = t.periodMs('suspects')
    for (let i = 0; i < 5; i++) await t.runNow('suspects')
    assert.equal(t.periodMs('suspects'), base)
  })

  test('stop waits for a run in progress', async () => {
    let finished = false
    const { t } = tasks({ round: async () => { await new Promise(resolve => setTimeout(resolve, 30)); finished = true } })
    t.start()
    void t.runNow('repair')
    await t.stop()
    assert.equal(finished, true)
  })
})
