// The collector's pure parts: Gini and distributions, CSV quoting, ring positions, the
// report built from two scrapes (totals exact, rates over the window) and well-formed SVG.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PeerStats } from '../../protocol/telemetry.js'
import {
  binomialPmf, buildReport, csvField, distribution, formatSummary, gini, mergeHistograms, peersCsv, ringPosition, toCsv, trimZeros
} from '../../tools/lib/report.js'
import { charts } from '../../tools/lib/collect.js'
import { barChart, niceTicks, wellFormed, xyChart } from '../../tools/lib/svg.js'

const T = { timeout: 10_000 }
const close = (a: number, b: number, eps = 1e-9): void => { assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`) }

describe('gini and distributions', () => {
  test('Gini of equal values is 0, of [0,0,0,x] is 0.75', T, () => {
    assert.equal(gini([5, 5, 5, 5]), 0)
    assert.equal(gini([0, 0, 0, 0]), 0)
    close(gini([0, 0, 0, 7]), 0.75)
    close(gini([7, 0, 0, 0]), 0.75, 1e-12) // order does not matter
    // Against the definition sum |xi - xj| / (2 n^2 mean).
    const v = [1, 2, 3, 10, 0.5]
    let s = 0
    for (const a of v) for (const b of v) s += Math.abs(a - b)
    close(gini(v), s / (2 * v.length ** 2 * (v.reduce((x, y) => x + y) / v.length)))
    assert.ok(Number.isNaN(gini([])))
  })

  test('distribution: mean, p50, p99, max/mean', T, () => {
    const d = distribution([1, 2, 3, 4, 10])
    assert.equal(d.n, 5)
    assert.equal(d.mean, 4)
    assert.equal(d.p50, 3)
    assert.equal(d.p99, 10)
    assert.equal(d.max, 10)
    assert.equal(d.maxOverMean, 2.5)
    assert.equal(distribution([0, 0]).maxOverMean, 1)
  })

  test('histograms and binomials', T, () => {
    assert.deepEqual(mergeHistograms([[1, 2], [0, 1, 4], []]), [1, 3, 4])
    assert.deepEqual(trimZeros([3, 1, 0, 0]), [3, 1])
    assert.deepEqual(trimZeros([0, 0]), [0])
    const b = binomialPmf(4, 0.5)
    ;[1, 4, 6, 4, 1].forEach((c, i) => { close(b[i] * 16, c, 1e-12) })
    close(binomialPmf(7, 0.3).reduce((x, y) => x + y), 1)
  })

  test('ring position is the id as a fraction of the ring', T, () => {
    assert.equal(ringPosition('0'.repeat(40)), 0)
    assert.equal(ringPosition('8' + '0'.repeat(39)), 0.5)
    assert.ok(ringPosition('f'.repeat(40)) < 1)
  })
})

describe('CSV', () => {
  test('fields are quoted only when needed, quotes doubled', T, () => {
    assert.equal(csvField('plain'), 'plain')
    assert.equal(csvField('a,b'), '"a,b"')
    assert.equal(csvField('say "hi"'), '"say ""hi"""')
    assert.equal(csvField('two\nlines'), '"two\nlines"')
    assert.equal(csvField(' edge'), '" edge"')
    assert.equal(csvField(3.5), '3.5')
    assert.equal(csvField(NaN), '')
    assert.equal(csvField(null), '')
    assert.equal(toCsv([['a', 'b'], [1, 'x,y']]), 'a,b\n1,"x,y"\n')
  })
})

/** A telemetry document with the given counters. */
function stats (ringId: string, at: number, k: number): PeerStats {
  const c = (r: number): { requests: number, bytesIn: number, bytesOut: number, micros: number, errors: number } => ({ requests: r, bytesIn: 10 * r, bytesOut: 20 * r, micros: 100 * r, errors: 0 })
  const served = { service: c(k), forwarding: c(2 * k), maintenance: c(3 * k), access: c(k), telemetry: c(1) }
  const sent = { service: c(0), forwarding: c(k), maintenance: c(3 * k), access: c(k), telemetry: c(0) }
  const hops = 2 * k
  return {
    peerId: `peer-${ringId}`, ringId, listen: [], http: null, ready: true, uptimeMs: 1, at,
    ring: { predecessor: null, successors: [], fingers: [], distinctFingers: 3, routingState: 5 },
    store: { records: k, bytes: 100 * k, durability: { journalMode: 'wal', synchronous: 2 } },
    config: { successors: 8, replicas: 3, writeQuorum: 2 },
    meters: {
      enabled: true, served, sent,
      lookups: { ok: k, failed: 0, retries: 0, hops, micros: 1000 * k, hopHistogram: [0, 0, k], latencyHistogram: [k] },
      prices: { service: 1, forwarding: 1, maintenance: 1, access: 1 },
      costs: { service: k, forwarding: 2 * k, maintenance: 6 * k, access: hops, total: 11 * k },
      topPeers: []
    }
  }
}

describe('buildReport', () => {
  const ids = ['c' + '0'.repeat(39), '4' + '0'.repeat(39), '8' + '0'.repeat(39)]
  const report = buildReport({
    start: 'x',
    windowS: 2,
    routeCandidates: 'all',
    ring: { size: 4, closed: true },
    scrapes: [
      ...ids.map((id, i) => ({ peerId: `peer-${id}`, ringId: id, first: stats(id, 1000, i + 1), second: stats(id, 3000, 2 * (i + 1)) })),
      { peerId: 'gone', ringId: 'f'.repeat(40), first: stats('f'.repeat(40), 1000, 1), error: 'second scrape: timeout' }
    ]
  })

  test('rows sorted by ring id, unreachable peers listed, totals are the sums', T, () => {
    assert.deepEqual(report.peers.map(p => p.position), [0.25, 0.5, 0.75])
    assert.deepEqual(report.unreachable.map(u => u.peerId), ['gone'])
    assert.equal(report.totals.served.maintenance.requests, 3 * (2 + 4 + 6))
    assert.equal(report.totals.costs.total, 11 * 12)
    assert.deepEqual(report.totals.lookups.hopHistogram, [0, 0, 12])
    assert.equal(report.hops.mean, 2)
  })

  test('rates are deltas over the peer-clocked window', T, () => {
    const p = report.peers.find(x => x.ringId === ids[0])! // k: 1 -> 2 over 2 s
    assert.equal(p.windowS, 2)
    assert.equal(p.rates.served.forwarding.requests, 1)
    assert.equal(p.rates.costs.total, 5.5)
    assert.equal(p.rates.served.telemetry.requests, 0)
  })

  test('model section: hops with the successor list saving, routing state, forwarding', T, () => {
    const m = report.model!
    assert.equal(m.n, 4)
    assert.equal(m.hops.measuredMean, 2)
    assert.ok(m.hops.predicted > 0)
    assert.ok(m.hops.predictedFingersOnly != null)
    close(m.hops.savedBySuccessors!, m.hops.predictedFingersOnly! - 2)
    assert.equal(m.hops.models[0].kind, 'binomial-approximation')
    assert.equal(m.hops.models[1].kind, 'exact-binomial') // N = 4 is a power of two
    assert.equal(m.forwarding.servedTotal, 2 * 12)
    assert.equal(m.forwarding.servedPerAccessLookup, 2)
    assert.equal(m.routingState.measuredMean, 5)
  })

  test('peers.csv: a header and one row per peer, same width', T, () => {
    const lines = peersCsv(report.peers).trimEnd().split('\n')
    assert.equal(lines.length, 4)
    const width = lines[0].split(',').length
    for (const l of lines) assert.equal(l.split(',').length, width)
    assert.match(lines[0], /^peer_id,ring_id,position,served_service_requests,/)
  })

  test('summary: one line per peer, totals and model lines', T, () => {
    const s = formatSummary(report)
    assert.ok(s.some(l => l.startsWith('total')))
    assert.ok(s.some(l => /mean hops +measured 2 /.test(l)))
    assert.equal(s.filter(l => /^[0-9a-f]{8} /.test(l)).length, 3)
  })

  test('every chart is well-formed SVG with a title, axes and a legend', T, () => {
    const files = charts(report)
    assert.deepEqual(Object.keys(files).sort(), ['cost-by-position-access.svg', 'cost-by-position-forwarding.svg', 'cost-by-position-maintenance.svg',
      'cost-by-position-service.svg', 'distribution.svg', 'hops.svg'])
    for (const [name, svg] of Object.entries(files)) {
      assert.equal(wellFormed(svg), null, name)
      assert.match(svg, /class="legend"/)
      assert.match(svg, /class="x-axis"/)
      assert.match(svg, /class="y-axis"/)
      assert.match(svg, /font-weight="bold">[^<]+<\/text>/)
    }
  })
})

describe('SVG', () => {
  test('the well-formedness check catches broken XML', T, () => {
    assert.equal(wellFormed('<svg><g a="1"><rect/></g></svg>'), null)
    assert.equal(wellFormed('<?xml version="1.0"?>\n<svg><!-- c --><text>a &amp; b</text></svg>'), null)
    assert.notEqual(wellFormed('<svg><g></svg>'), null)
    assert.notEqual(wellFormed('<svg><g></g>'), null)
    assert.notEqual(wellFormed('<svg><text>a & b</text></svg>'), null)
    assert.notEqual(wellFormed('<svg a=1></svg>'), null)
    assert.notEqual(wellFormed('<svg a="1" a="2"></svg>'), null)
    assert.notEqual(wellFormed('<svg></svg><svg></svg>'), null)
    assert.notEqual(wellFormed('<svg><a></b></svg>'), null)
  })

  test('titles and labels are escaped; empty and odd data still draw', T, () => {
    const svg = barChart({ title: 'a < b & "c"', xLabel: 'x', yLabel: 'y', categories: ['<1>'], series: [{ name: "it's", values: [NaN] }] })
    assert.equal(wellFormed(svg), null)
    assert.match(svg, /a &lt; b &amp; &quot;c&quot;/)
    assert.equal(wellFormed(xyChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [] })), null)
    assert.equal(wellFormed(xyChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[0, 5], [1, 5]], mode: 'both' }] })), null)
  })

  test('nice ticks cover the range with round steps', T, () => {
    assert.deepEqual(niceTicks(0, 10), [0, 2, 4, 6, 8, 10])
    const t = niceTicks(0, 0.73)
    assert.ok(t[0] <= 0 && t[t.length - 1] >= 0.73)
    assert.deepEqual(niceTicks(5, 5).length > 1, true)
  })
})
