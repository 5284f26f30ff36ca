// Fault suite: a real network partition. Eight chordd processes, four on 127.0.11.x and four
// on 127.0.12.x (each listens on, and dials from, its own address); iptables drops every
// packet between the two groups. Each side must close into a ring of its own and go on
// acknowledging writes; when the rules go, the two rings must merge into one ideal ring
// (memberMemory.ts, Maintenance.heal) and every write acknowledged on either side must read
// back, conflicts between the sides settled by the version rule. Needs root and iptables;
// without them the test is skipped, unless CHORD_REQUIRE_IPTABLES=1 (CI) makes that a failure.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { AckChecker } from '../../tools/lib/checker.js'
import { FaultRing, faultFlags, sleep, startWriters } from '../helpers/faultRing.js'
import { healAll, iptablesUnavailable, Partition } from '../helpers/partition.js'

const R = 3
const FLAGS = faultFlags()
/** Bounds this test states: each side closes its own ring, and the two merge, within these. */
const SPLIT_BOUND_MS = 30_000
const MERGE_BOUND_MS = 45_000

const missing = iptablesUnavailable()
if (missing != null && process.env.CHORD_REQUIRE_IPTABLES === '1') throw new Error(`the partition test must run here: ${missing}`)

describe('fault: a network partition between two halves of a ring, then healing', { timeout: 300_000, skip: missing }, () => {
  const ring = new FaultRing(FLAGS)
  const partition = new Partition('127.0.11.0/24', '127.0.12.0/24')

  before(async () => {
    await ring.open()
    const first = await ring.startRing(4, '127.0.11', 'a')
    for (let i = 0; i < 4; i++) await ring.start(`b${i}`, `127.0.12.${i + 2}`, first)
    await ring.waitIdeal(60_000)
  })
  after(async () => {
    partition.heal()
    healAll()
    await ring.close()
  })

  test('each side acknowledges writes alone; after healing one ideal ring holds every acknowledged write', async () => {
    const side = (s: 'a' | 'b') => [...ring.daemons.entries()].filter(([n]) => n.startsWith(s)).map(([, d]) => d)
    const entries = (s: 'a' | 'b') => () => side(s).map(d => ring.targetOf(d))
    // Keys of one side's writers only (real-time checked), and keys both sides write (the version rule decides).
    const checker = new AckChecker()
    const wa = startWriters(ring.client, entries('a'), checker, { prefix: 'side-a', keys: 40, concurrency: 2, timeoutMs: 5_000 })
    const wb = startWriters(ring.client, entries('b'), checker, { prefix: 'side-b', keys: 40, concurrency: 2, timeoutMs: 5_000 })
    const shared = new AckChecker()
    const wsa = startWriters(ring.client, entries('a'), shared, { prefix: 'shared', keys: 20, concurrency: 1, timeoutMs: 5_000 })
    const wsb = startWriters(ring.client, entries('b'), shared, { prefix: 'shared', keys: 20, concurrency: 1, timeoutMs: 5_000 })
    await sleep(2_000)

    partition.split()
    const splitAt = Date.now()
    try {
      // Each side closes into a ring of its own.
      const closedA = await ring.waitIdeal(SPLIT_BOUND_MS, side('a'))
      const closedB = await ring.waitIdeal(SPLIT_BOUND_MS, side('b'))
      console.log(`partition: side a closed its own ring after ${closedA} ms, side b after ${Date.now() - splitAt} ms (b polled after a: ${closedB} ms)`)
      const before = checker.acked
      await sleep(4_000)
      assert.ok(checker.acked > before + 20, `both sides kept acknowledging writes (${checker.acked - before} during the split)`)
    } finally {
      partition.heal()
    }
    const healedAt = Date.now()
    const mergedMs = await ring.waitIdeal(MERGE_BOUND_MS)
    console.log(`partition: split for ${healedAt - splitAt} ms; one ideal ring of 8 again ${mergedMs} ms after the rules went`)
    await sleep(2_000)
    const [a, b, sa, sb] = await Promise.all([wa.stop(), wb.stop(), wsa.stop(), wsb.stop()])
    console.log(`partition: acked/failed side a ${a.acked}/${a.failed}, side b ${b.acked}/${b.failed}, shared ${sa.acked + sb.acked}/${sa.failed + sb.failed}`)
    await ring.waitIdeal(30_000)
    const counts = await ring.waitReplicas(checker, R, 60_000)
    assert.deepEqual(counts.filter(c => c !== R), [], 'every key back to r copies')
    const res = await checker.verify(ring.client, () => ring.live())
    console.log(`partition: one-sided keys: ${res.keys} keys, ${res.acked} acks; lost ${res.lost} (of which stale ${res.stale})`)
    assert.equal(res.lost, 0, res.problems.join('\n'))
    // Keys written on both sides: the newest acknowledged version (by the version rule) reads back.
    const sharedRes = await shared.verify(ring.client, () => ring.live(), { realTime: false })
    console.log(`partition: shared keys: ${sharedRes.keys} keys; lost ${sharedRes.lost}`)
    assert.equal(sharedRes.lost, 0, sharedRes.problems.join('\n'))
  })
})
