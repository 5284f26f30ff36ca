// Fault suite: a peer whose clock runs minutes ahead (--clock-offset-ms, a test-only flag).
// Versions are minted by entry peers, so the fast clock must neither mint versions that beat
// later honest writes nor drag the other peers' clocks forward: it compares itself with its
// neighbours, refuses to mint (CLOCK_SKEW, a clear error to its clients), and the others
// refuse any version further ahead than --max-clock-skew-ms. Writes go on through every peer
// (the fast one included); no acknowledged write is lost and the ring stays one ideal ring.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import { physicalMs } from '../../protocol/version.js'
import { AckChecker } from '../../tools/lib/checker.js'
import { holdersOf } from '../../tools/lib/replicaCount.js'
import { sortRing } from '../../tools/lib/ringCheck.js'
import { FaultRing, faultFlags, sleep, startWriters } from '../helpers/faultRing.js'

const R = 3
const SKEW_MS = 500
const AHEAD_MS = 5 * 60_000
const FLAGS = faultFlags({ maxClockSkewMs: SKEW_MS })
const enc = new TextEncoder()

describe('fault: a peer whose clock is minutes ahead', { timeout: 240_000 }, () => {
  const ring = new FaultRing(FLAGS)

  before(async () => {
    await ring.open()
    const first = await ring.startRing(6, '127.0.7')
    // The fast peer joins last, into a ring whose clocks agree.
    await ring.start('fast', '127.0.7.20', first, ['--clock-offset-ms', String(AHEAD_MS)])
    await ring.waitIdeal(60_000)
  })
  after(async () => { await ring.close() })

  test('its writes are refused with CLOCK_SKEW, nobody\'s clock is dragged, nothing acknowledged is lost', async () => {
    const fast = ring.daemons.get('fast')!
    const fastTarget = ring.targetOf(fast)
    // It learns it is out of bounds from its neighbours' clocks within a few stabilize rounds.
    const deadline = Date.now() + 20_000
    let clock = (await ring.client.stats(fastTarget)).faults!.clock
    while (clock.healthy && Date.now() < deadline) { await sleep(200); clock = (await ring.client.stats(fastTarget)).faults!.clock }
    assert.equal(clock.healthy, false, 'the fast peer knows its clock is out of bounds')
    assert.ok(clock.offsetMs! > AHEAD_MS - 5_000, `it measured its offset (${clock.offsetMs} ms)`)
    await assert.rejects(ring.client.put(fastTarget, enc.encode('through-fast'), enc.encode('x'), { timeoutMs: 5_000 }),
      (e: unknown) => e instanceof ChordError && e.code === ErrorCode.CLOCK_SKEW && /clock/.test(e.message))

    // 60 keys, 12 of them in the fast peer's arc (its arc may be too small for 60 random names to reach).
    const sorted = sortRing(ring.members())
    const ownsIt = (key: Uint8Array): boolean => holdersOf(sorted, key, 1)[0].peerId === fast.info.peerId
    const keyList = Array.from({ length: 48 }, (_, i) => enc.encode(`skew-${i}`))
    for (let i = 0; keyList.length < 60; i++) { const k = enc.encode(`skew-fast-${i}`); if (ownsIt(k)) keyList.push(k) }
    const checker = new AckChecker()
    const w = startWriters(ring.client, () => ring.live(), checker, { prefix: 'skew', keyList, timeoutMs: 5_000 })
    await sleep(8_000)
    const { acked, failed } = await w.stop()
    console.log(`clock: ${acked} puts acknowledged, ${failed} failed (those through the fast peer are refused)`)
    assert.ok(acked > 50, `the workload kept writing (${acked} acked)`)
    // Keys the fast peer owns were written too, through the others.
    const ownedByFast = checker.latest().filter(k => ownsIt(k.key))
    assert.ok(ownedByFast.length > 0, 'the fast peer coordinated acknowledged writes of its own keys')

    await ring.assertIdealOver(2_000)
    const counts = await ring.waitReplicas(checker, R, 30_000)
    assert.deepEqual(counts.filter(c => c !== R), [], 'every key back to r copies')
    const res = await checker.verify(ring.client, () => ring.live().filter(t => t.peerId !== fast.info.peerId))
    console.log(`clock: ${res.keys} keys checked; lost ${res.lost} (of which stale ${res.stale})`)
    assert.equal(res.lost, 0, res.problems.join('\n'))
    // No version anywhere is from the fast clock: every copy on every holder is within the skew bound of real time.
    for (const { key } of checker.latest()) {
      for (const h of holdersOf(sorted, key, R)) {
        const got = await ring.client.replicaGet(h.target, key)
        assert.ok(got.record != null)
        assert.ok(physicalMs(got.record.ts) <= Date.now() + SKEW_MS, `a copy on ${h.peerId.slice(-6)} is ${physicalMs(got.record.ts) - Date.now()} ms in the future`)
      }
    }
  })
})
