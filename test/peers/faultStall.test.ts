// Fault suite: a stalled owner. SIGSTOP keeps a peer's sockets open while it answers nothing
// (a GC pause, a suspended VM). Writes go on through every peer, the stalled one included;
// while it is stopped, lookups from every other peer for targets it owns (their routes end at
// it or pass it) must succeed, each paying at most one RPC timeout for it; after SIGCONT the
// requests that waited in its socket buffers run late, and none of them may overwrite a
// write acknowledged after it failed (the checker's real-time check). The ring ends ideal.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { idToBytes } from '../../protocol/ring.js'
import { AckChecker } from '../../tools/lib/checker.js'
import { holdersOf } from '../../tools/lib/replicaCount.js'
import { sortRing } from '../../tools/lib/ringCheck.js'
import { FaultRing, faultFlags, sleep, startWriters } from '../helpers/faultRing.js'

const R = 3
const RPC_TIMEOUT_MS = 600
const STABILIZE_MS = 200
const FLAGS = faultFlags({ stabilizeMs: STABILIZE_MS, rpcTimeoutMs: RPC_TIMEOUT_MS, lookupTimeoutMs: 6000, maxClockSkewMs: 300 })
const enc = new TextEncoder()

describe('fault: an owner stalled (SIGSTOP) past the RPC timeout, then resumed', { timeout: 240_000 }, () => {
  const ring = new FaultRing(FLAGS)

  before(async () => {
    await ring.open()
    await ring.startRing(8, '127.0.6')
    await ring.waitIdeal(60_000)
  })
  after(async () => { await ring.close() })

  test('lookups route around it at one RPC timeout at most; no acknowledged write is lost to its late requests', async () => {
    const checker = new AckChecker()
    const all = [...ring.daemons.values()]
    const sorted = sortRing(ring.members())
    // The victim: the owner of the most keys of the workload, so that many puts reach it.
    const keys = Array.from({ length: 60 }, (_, i) => enc.encode(`stall-${i}`))
    const owned = (peerId: string): number => keys.filter(k => holdersOf(sorted, k, 1)[0].peerId === peerId).length
    const victim = all.reduce((a, b) => owned(b.info.peerId) > owned(a.info.peerId) ? b : a)
    const others = all.filter(d => d !== victim)
    const w = startWriters(ring.client, () => ring.live(), checker, { prefix: 'stall', keys: 60, timeoutMs: 6_000 })
    await sleep(2_000)

    const stoppedAt = Date.now()
    victim.proc.kill('SIGSTOP')
    try {
      // Lookups from every other peer of targets just past the victim: the victim is their
      // owner's predecessor, so every route ends at it until the hop before it routes around.
      const victimId = BigInt('0x' + victim.info.ringId)
      const latencies: number[] = []
      const failures: string[] = []
      const probeUntil = Date.now() + 4 * RPC_TIMEOUT_MS + 8 * STABILIZE_MS
      // When the victim's predecessor stops listing it as successor: polled every 50 ms beside the lookups.
      let healedAfterMs: number | undefined
      const pred = others.find(d => d.info.peerId === sorted[(sorted.findIndex(m => m.peerId === victim.info.peerId) + sorted.length - 1) % sorted.length].peerId)!
      const watcher = (async () => {
        while (healedAfterMs == null && Date.now() < probeUntil) {
          const view = await ring.client.state(ring.targetOf(pred), 1_000).catch(() => undefined)
          if (view != null && view.successors[0]?.peerId !== victim.info.peerId) healedAfterMs = Date.now() - stoppedAt
          else await sleep(50)
        }
      })()
      while (Date.now() < probeUntil) {
        await Promise.all(others.map(async (d, i) => {
          const t = idToBytes(victimId + BigInt(1 + i))
          const started = Date.now()
          try {
            await ring.client.lookup(ring.targetOf(d), { target: t }, { timeoutMs: 5_000 })
            latencies.push(Date.now() - started)
          } catch (err) {
            failures.push((err as Error).message)
          }
        }))
      }
      await watcher
      latencies.sort((a, b) => a - b)
      console.log(`stall: ${latencies.length} lookups, max ${latencies[latencies.length - 1]} ms, p50 ${latencies[latencies.length >> 1]} ms; the victim's predecessor dropped it after ${healedAfterMs ?? '(not yet)'} ms`)
      assert.deepEqual(failures, [], 'every lookup during the stall succeeded')
      // One RPC timeout for the stalled hop, plus the rest of a lookup on a loaded 2-core machine.
      assert.ok(latencies[latencies.length - 1] <= RPC_TIMEOUT_MS + 400, `each lookup paid at most one RPC timeout (max ${latencies[latencies.length - 1]} ms)`)
      // The predecessor's next notify times out after one RPC timeout and it moves to the next
      // successor at once; the notify starts within a stabilize period of the stall. Two periods
      // plus slack for a loaded machine.
      assert.ok(healedAfterMs != null && healedAfterMs <= RPC_TIMEOUT_MS + 2 * STABILIZE_MS + 300, `the ring healed around the stalled peer within one RPC timeout and two stabilize periods (${healedAfterMs} ms)`)
    } finally {
      victim.proc.kill('SIGCONT')
    }
    console.log(`stall: the victim was stopped for ${Date.now() - stoppedAt} ms`)
    await sleep(3_000)
    const { acked, failed } = await w.stop()
    assert.ok(acked > 50, `the workload kept writing (${acked} acked, ${failed} failed)`)
    await ring.waitIdeal(60_000)
    const counts = await ring.waitReplicas(checker, R, 30_000)
    assert.deepEqual(counts.filter(c => c !== R), [], 'every key back to r copies')
    const res = await checker.verify(ring.client, () => ring.live())
    console.log(`stall: ${res.acked} puts acknowledged, ${res.failed} failed, ${res.keys} keys; lost ${res.lost} (of which stale ${res.stale})`)
    assert.equal(res.lost, 0, res.problems.join('\n'))
  })
})
