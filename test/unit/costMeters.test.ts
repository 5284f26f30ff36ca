// CostMeters without sockets: a request served and one sent take the same record, every
// count lands in its term and direction, telemetry is no peer's share, C = S + R + M + A.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CostMeters } from '../../daemon/meters/costMeters.js'

describe('CostMeters', () => {
  test('served and sent count bytes in and out the same way', () => {
    const m = new CostMeters()
    m.recordServed({ tag: 'forwarding', peerId: 'a', bytesIn: 100, bytesOut: 300, micros: 20, failed: false })
    m.recordSent({ tag: 'forwarding', peerId: 'a', bytesIn: 100, bytesOut: 300, micros: 20, failed: true })
    assert.deepEqual(m.served.forwarding, { requests: 1, bytesIn: 100, bytesOut: 300, micros: 20, errors: 0 })
    assert.deepEqual(m.sent.forwarding, { requests: 1, bytesIn: 100, bytesOut: 300, micros: 20, errors: 1 })
    assert.deepEqual(m.topPeers(1), [{ peerId: 'a', requests: { service: 0, forwarding: 2, maintenance: 0, access: 0 }, bytes: { service: 0, forwarding: 800, maintenance: 0, access: 0 } }])
  })

  test('telemetry is counted but is no peer\'s share; off, nothing is counted', () => {
    const m = new CostMeters()
    m.recordServed({ tag: 'telemetry', peerId: 'a', bytesIn: 1, bytesOut: 1, micros: 1, failed: false })
    assert.equal(m.served.telemetry.requests, 1)
    assert.deepEqual(m.topPeers(4), [])
    m.enabled = false
    m.recordSent({ tag: 'service', peerId: 'a', bytesIn: 1, bytesOut: 1, micros: 1, failed: false })
    m.recordLookup({ ok: true, hops: 3, micros: 1000 })
    assert.equal(m.sent.service.requests, 0)
    assert.equal(m.lookups.ok, 0)
  })

  test('costs: S and R served, M sent and served, A the hops of own lookups', () => {
    const m = new CostMeters()
    const r = (tag: 'service' | 'forwarding' | 'maintenance'): { tag: typeof tag, peerId: string, bytesIn: number, bytesOut: number, micros: number, failed: boolean } => ({ tag, peerId: 'a', bytesIn: 0, bytesOut: 0, micros: 0, failed: false })
    m.recordServed(r('service'))
    m.recordServed(r('forwarding'))
    m.recordSent(r('forwarding'))
    m.recordServed(r('maintenance'))
    m.recordSent(r('maintenance'))
    m.recordLookup({ ok: true, hops: 4, micros: 2000, attempts: 2 })
    m.recordLookup({ ok: false })
    assert.deepEqual(m.costs({ service: 1, forwarding: 2, maintenance: 3, access: 5 }), { service: 1, forwarding: 2, maintenance: 6, access: 20, total: 29 })
    assert.deepEqual({ ok: m.lookups.ok, failed: m.lookups.failed, retries: m.lookups.retries, hops: m.lookups.hops }, { ok: 1, failed: 1, retries: 1, hops: 4 })
    assert.equal(m.lookups.hopHistogram[4], 1)
  })
})
