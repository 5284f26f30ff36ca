// /metrics of peers packed in one process: one registry (daemon/meters/prometheus.ts), and each
// peer's scrape holds its own values under its own label, also when scrapes overlap.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ProcessMetrics, processMetrics } from '../../daemon/meters/prometheus.js'
import { shortId } from '../../protocol/ring.js'
import { parts } from '../helpers/telemetryParts.js'

/** name{labels} -> value, for every sample line. */
function samples (text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line)
    assert.ok(m != null, `not Prometheus text: ${line}`)
    out.set(m[1] + (m[2] ?? ''), Number(m[3]))
  }
  return out
}

describe('prometheus', () => {
  test('two peers in one process: each scrape is that peer\'s own, also when they overlap', async () => {
    const metrics = new ProcessMetrics()
    const a = await parts()
    const b = await parts()
    a.parts.meters.recordServed({ tag: 'service', peerId: a.succ.peerId, bytesIn: 1, bytesOut: 2, micros: 3, failed: false })
    for (let i = 0; i < 5; i++) b.parts.meters.recordSent({ tag: 'maintenance', peerId: b.succ.peerId, bytesIn: 4, bytesOut: 5, micros: 6, failed: i === 0 })
    const [ta, tb] = await Promise.all([metrics.scrape(a.parts), metrics.scrape(b.parts)])
    const [la, lb] = [shortId(a.self.id), shortId(b.self.id)]
    assert.notEqual(la, lb)
    assert.ok(!ta.includes(`peer="${lb}"`) && !tb.includes(`peer="${la}"`), 'no sample of the other peer')
    const sa = samples(ta)
    const sb = samples(tb)
    assert.equal(sa.get(`chord_requests_total{direction="served",term="service",peer="${la}"}`), 1)
    assert.equal(sb.get(`chord_requests_total{direction="served",term="service",peer="${lb}"}`), 0)
    assert.equal(sb.get(`chord_requests_total{direction="sent",term="maintenance",peer="${lb}"}`), 5)
    assert.equal(sb.get(`chord_request_errors_total{direction="sent",term="maintenance",peer="${lb}"}`), 1)
    assert.equal(sa.get(`chord_request_errors_total{direction="sent",term="maintenance",peer="${la}"}`), 0)
    assert.equal(sa.get(`chord_store_records{peer="${la}"}`), 7)
    // Same metrics and label sets for both, only the peer and the values differ.
    assert.deepEqual([...sa.keys()].map(k => k.replace(la, 'P')), [...sb.keys()].map(k => k.replace(lb, 'P')))
  })

  test('a scrape after another peer\'s keeps nothing of it', async () => {
    const metrics = new ProcessMetrics()
    const a = await parts()
    const b = await parts()
    a.parts.meters.recordLookup({ ok: true, hops: 3, micros: 100 })
    const first = samples(await metrics.scrape(a.parts))
    const after = samples(await metrics.scrape(b.parts))
    assert.equal(first.get(`chord_lookup_hops{hops="3",peer="${shortId(a.self.id)}"}`), 1)
    assert.ok(![...after.keys()].some(k => k.startsWith('chord_lookup_hops')), 'b made no lookups: no hop buckets')
  })

  test('the process has one ProcessMetrics', () => {
    assert.equal(processMetrics(), processMetrics())
  })
})
