// Adaptive maintenance on real sockets (MIT lsd's rule, daemon/host/maintenanceSchedule.ts): an
// idle ring stretches its periods and costs a fraction of fixed mode's maintenance bytes, and after
// a kill, a join and a leave it is ideal again as in fixed mode. The same trial as
// `npm run maintenance`, smaller (tools/lib/maintenanceTrial.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EVENTS, runTrial, type TrialResult } from '../../tools/lib/maintenanceTrial.js'

const peerConfig = { successors: 4, replicas: 3, stabilizeMs: 100, fixFingersMs: 100, checkPredecessorMs: 200, repairMs: 300, rpcTimeoutMs: 1000, lookupTimeoutMs: 4000, choking: { enabled: false } }

test('an idle adaptive ring costs a fraction of a fixed one and is ideal again after a kill, a join and a leave', { timeout: 200_000 }, async t => {
  const run = async (mode: 'fixed' | 'adaptive'): Promise<TrialResult> =>
    await runTrial({ peers: 8, mode, peerConfig, settleMs: 12_000, windowMs: 5_000, convergeTimeoutMs: 40_000, progress: line => { t.diagnostic(line) } })
  const fixed = await run('fixed')
  const adaptive = await run('adaptive')
  for (const r of [fixed, adaptive]) {
    t.diagnostic(`${r.mode}: ${r.idle.maintenanceBytesPerPeerPerSec.toFixed(1)} maintenance B/s per peer idle, stabilize period ${r.idle.stabilizePeriodMs} ms; ideal after kill/join/leave ${EVENTS.map(e => r.idealAfterMs[e]).join('/')} ms (bounds ${EVENTS.map(e => r.boundMs[e]).join('/')} ms)`)
    for (const e of EVENTS) assert.notEqual(r.idealAfterMs[e], null, `${r.mode}: ideal again after the ${e}`)
  }
  assert.equal(fixed.idle.stabilizePeriodMs, 100, 'fixed mode never stretches')
  assert.ok(adaptive.idle.stabilizePeriodMs >= 1000, `adaptive stretched the stabilize period while idle: ${adaptive.idle.stabilizePeriodMs} ms`)
  assert.ok(adaptive.idle.maintenanceBytesPerPeerPerSec < fixed.idle.maintenanceBytesPerPeerPerSec / 3,
    `idle maintenance bytes: adaptive ${adaptive.idle.maintenanceBytesPerPeerPerSec} against fixed ${fixed.idle.maintenanceBytesPerPeerPerSec}`)
})
