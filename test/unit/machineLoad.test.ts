// The machine-load report's pure parts: event-loop percentiles from a histogram, the one
// saturation rule, the summary over processes, resources per peer, and ringed plot points.
import assert from 'node:assert/strict'
import { createHistogram } from 'node:perf_hooks'
import { describe, test } from 'node:test'
import { CPU_SATURATED_SHARE, loopDelayLimitMs, loopDelayOf, machineLoad, peerResources, saturationReasons, type ProcessLoad } from '../../tools/lib/machineLoad.js'
import { wellFormed, xyChart } from '../../tools/lib/svg.js'

const T = { timeout: 10_000 }

const proc = (o: Partial<ProcessLoad>): ProcessLoad => ({ pid: 1, peers: 0, windowMs: 10_000, cpuMs: 0, rssMb: 100, loopDelayMs: { p50: 10, p99: 20, max: 30 }, ...o })
const idle = { before: { busyMs: 0, totalMs: 0 }, after: { busyMs: 100, totalMs: 1000 } }

describe('event-loop delay percentiles', () => {
  test('p50, p99 and max of a histogram in ns come out in ms', T, () => {
    const h = createHistogram()
    for (let ms = 1; ms <= 100; ms++) h.record(ms * 1_000_000)
    const d = loopDelayOf(h)
    // HDR histograms keep 3 significant digits: within 0.1 % of the nearest-rank values.
    assert.ok(Math.abs(d.p50 - 50) <= 0.05, `p50 ${d.p50}`)
    assert.ok(Math.abs(d.p99 - 99) <= 0.1, `p99 ${d.p99}`)
    assert.ok(Math.abs(d.max - 100) <= 0.1, `max ${d.max}`)
  })
})

describe('saturation rule', () => {
  test('CPU at 90 % of the cores is saturated, just below is not', T, () => {
    const base = { machineBusyShare: 0.1, loopP99Ms: 5, rpcTimeoutMs: 2000 }
    assert.equal(saturationReasons({ ...base, cpuShare: CPU_SATURATED_SHARE }).length, 1)
    assert.deepEqual(saturationReasons({ ...base, cpuShare: 0.89 }), [])
  })

  test('the whole machine busy counts too (other processes delay the peers as much)', T, () => {
    assert.match(saturationReasons({ cpuShare: 0.2, machineBusyShare: 0.95, loopP99Ms: 5, rpcTimeoutMs: 2000 })[0], /machine CPU busy 95%/)
  })

  test('event-loop p99 above RPC timeout / 10 is saturated', T, () => {
    assert.equal(loopDelayLimitMs(2000), 200)
    const base = { cpuShare: 0.2, machineBusyShare: 0.2, rpcTimeoutMs: 2000 }
    assert.deepEqual(saturationReasons({ ...base, loopP99Ms: 200 }), [])
    assert.match(saturationReasons({ ...base, loopP99Ms: 201 })[0], /event-loop p99 201 ms > 200 ms/)
    // The bound follows the timeout.
    assert.deepEqual(saturationReasons({ ...base, loopP99Ms: 201, rpcTimeoutMs: 5000 }), [])
  })
})

describe('machine load over processes', () => {
  test('CPU is summed in cores over processes and set against the cores; the worst process\'s delays decide', T, () => {
    const m = machineLoad({
      window: 'w',
      processes: [proc({ cpuMs: 9_000, loopDelayMs: { p50: 1, p99: 250, max: 300 } }), proc({ cpuMs: 5_000, loopDelayMs: { p50: 3, p99: 40, max: 50 } }), proc({ cpuMs: 1_000 })],
      machine: idle, pastDeadline: 2, ops: 100, rpcTimeoutMs: 2000, cores: 2
    })
    assert.equal(m.cpuCores, 1.5)
    assert.equal(m.cpuShare, 0.75)
    assert.equal(m.machineBusyShare, 0.1)
    assert.deepEqual(m.loopDelayMs, { p50: 10, p99: 250 }) // the worst process's, each
    assert.equal(m.saturated, true)
    assert.equal(m.reasons.length, 1)
    assert.equal(m.pastDeadline, 2)
  })

  test('a light load is not saturated', T, () => {
    const m = machineLoad({ window: 'w', processes: [proc({ cpuMs: 2_000 })], machine: idle, pastDeadline: 0, ops: 10, rpcTimeoutMs: 2000, cores: 2 })
    assert.equal(m.saturated, false)
    assert.deepEqual(m.reasons, [])
  })
})

describe('resources per peer', () => {
  test('only processes that host peers count: CPU ms per peer per second and RSS per peer', T, () => {
    const processes = [proc({ peers: 10, cpuMs: 200, windowMs: 10_000, rssMb: 100 }), proc({ peers: 30, cpuMs: 600, windowMs: 10_000, rssMb: 140 }), proc({ peers: 0, cpuMs: 5_000, rssMb: 300 })]
    const r = peerResources(machineLoad({ window: 'quiet', processes, machine: idle, pastDeadline: 0, ops: 0, rpcTimeoutMs: 2000, cores: 2 }))
    assert.equal(r.peers, 40)
    assert.equal(r.processes, 2)
    assert.equal(r.cpuMsPerPeerPerSec, 2) // (20 + 60) ms/s over 40 peers
    assert.equal(r.rssMbPerPeer, 6)
    assert.equal(r.window, 'quiet')
    assert.equal(r.saturated, false)
    const busy = peerResources(machineLoad({ window: 'quiet', processes, machine: { before: idle.before, after: { busyMs: 950, totalMs: 1000 } }, pastDeadline: 0, ops: 0, rpcTimeoutMs: 2000, cores: 2 }))
    assert.equal(busy.saturated, true)
    assert.match(busy.reasons[0], /machine CPU busy 95%/)
  })
})

describe('flagged plot points', () => {
  test('a flagged point is ringed and the legend says why; no flag, no ring', T, () => {
    const spec = (flags: boolean[]): string => xyChart({ title: 't', xLabel: 'x', yLabel: 'y', flagLegend: 'saturated machine', series: [{ name: 's', points: [[1, 1], [2, 4], [3, 9]], mode: 'both', flags }] })
    const on = spec([false, false, true])
    assert.equal(wellFormed(on), null)
    assert.equal((on.match(/class="flagged"/g) ?? []).length, 2) // the point and the legend's sample
    assert.match(on, /saturated machine/)
    const off = spec([false, false, false])
    assert.doesNotMatch(off, /class="flagged"|saturated machine/)
  })
})
