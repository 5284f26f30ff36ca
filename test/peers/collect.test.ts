// The collector end to end: a 6-peer in-process ring, a scripted workload, maintenance
// paused so no counter moves, then collect(): report.json, peers.csv and the SVG charts,
// with totals that are exactly the sums of the rows and of the peers' live meters.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { collect } from '../../tools/lib/collect.js'
import { COST_KEYS, COUNT_FIELDS, type Report } from '../../tools/lib/report.js'
import { wellFormed } from '../../tools/lib/svg.js'
import { createTestnet, type Testnet } from '../../tools/testnet.js'
import { type Counts, type Tag, TAGS, TERMS } from '../../protocol/telemetry.js'

const N = 6
const KEYS = 50
const enc = new TextEncoder()

describe(`collect on a ${N}-peer ring`, () => {
  let net: Testnet
  let dir: string
  let report: Report
  let fromFile: Report

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'collect-test-'))
    net = await createTestnet({ peers: N, peerConfig: { stabilizeMs: 100, fixFingersMs: 50, checkPredecessorMs: 200, repairMs: 300 } })
    const c = await net.waitIdeal({ timeoutMs: 45_000, fingers: true })
    assert.ok(c.fingersIdeal, c.problems.join('; '))
    // Workload: 50 puts then 50 gets, entering at every peer in turn.
    for (let i = 0; i < KEYS; i++) await net.client.put(net.peers[i % N].target, enc.encode(`key-${i}`), enc.encode(`value-${i}`))
    for (let i = 0; i < KEYS; i++) {
      const r = await net.client.get(net.peers[(i + 1) % N].target, enc.encode(`key-${i}`))
      assert.ok(r.found, `key-${i} not found`)
    }
    // Freeze the counters: no maintenance from here on, and let replica writes still in flight land.
    await Promise.all(net.peers.map(async p => { await p.local!.pauseMaintenance(true) }))
    await new Promise(resolve => setTimeout(resolve, 750))
    report = await collect(net.client, net.peers[0].target, { windowS: 1, outDir: dir })
    fromFile = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report
  }, { timeout: 90_000 })

  after(async () => {
    await net?.stop()
    if (dir != null) rmSync(dir, { recursive: true, force: true })
  }, { timeout: 30_000 })

  test('report.json lists all 6 peers, none unreachable', { timeout: 10_000 }, () => {
    assert.equal(fromFile.peers.length, N)
    assert.equal(fromFile.reachable, N)
    assert.deepEqual(fromFile.unreachable, [])
    assert.equal(fromFile.ring.size, N)
    assert.ok(fromFile.ring.closed)
    assert.deepEqual(new Set(fromFile.peers.map(p => p.peerId)), new Set(net.peers.map(p => p.info.peerId)))
    for (const p of fromFile.peers) assert.ok(p.position >= 0 && p.position < 1)
    assert.ok(fromFile.totals.lookups.ok >= 2 * KEYS, 'every put and get is an own lookup of its entry peer')
  })

  test('totals are the sums of the report\'s own rows, every counter', { timeout: 10_000 }, () => {
    const t = fromFile.totals
    for (const dir of ['served', 'sent'] as const) {
      for (const tag of TAGS) {
        for (const f of COUNT_FIELDS) assert.equal(t[dir][tag][f], sum(fromFile.peers.map(p => p[dir][tag][f])), `${dir}.${tag}.${f}`)
      }
    }
    for (const k of COST_KEYS) assert.equal(t.costs[k], sum(fromFile.peers.map(p => p.costs[k])), `costs.${k}`)
    for (const k of ['ok', 'failed', 'retries', 'hops', 'micros'] as const) assert.equal(t.lookups[k], sum(fromFile.peers.map(p => p.lookups[k])), `lookups.${k}`)
    t.lookups.hopHistogram.forEach((v, h) => { assert.equal(v, sum(fromFile.peers.map(p => p.lookups.hopHistogram[h] ?? 0)), `hopHistogram[${h}]`) })
    for (const k of ['routingState', 'distinctFingers', 'keys', 'storeBytes'] as const) assert.equal(t[k], sum(fromFile.peers.map(p => p[k])), k)
  })

  test('totals equal the sums of the peers\' live meters (cost terms and lookups)', { timeout: 10_000 }, () => {
    // Telemetry is left out: the collector's own GET_STATS is metered after its document was made.
    const live = net.peers.map(p => p.local!)
    for (const dir of ['served', 'sent'] as const) {
      for (const tag of TERMS as readonly Tag[]) {
        for (const f of COUNT_FIELDS) {
          assert.equal(report.totals[dir][tag][f], sum(live.map(m => (m.meters[dir][tag] as Counts)[f])), `${dir}.${tag}.${f}`)
        }
      }
    }
    for (const k of ['ok', 'failed', 'retries', 'hops', 'micros'] as const) assert.equal(report.totals.lookups[k], sum(live.map(m => m.meters.lookups[k])), `lookups.${k}`)
    for (const k of COST_KEYS) assert.equal(report.totals.costs[k], sum(live.map(m => m.meters.costs(m.config.prices)[k])), `costs.${k}`)
    // Per peer too, and nothing moved over the window but telemetry.
    for (const row of report.peers) {
      const m = live.find(p => p.info().peerId === row.peerId)!
      assert.deepEqual(row.served.forwarding, m.meters.served.forwarding)
      for (const k of COST_KEYS) assert.equal(row.rates.costs[k], 0, `rate of ${k} at ${row.ringId.slice(0, 8)}`)
      assert.ok(m.meters.served.telemetry.requests >= row.served.telemetry.requests)
    }
  })

  test('peers.csv has a header and one line per peer', { timeout: 10_000 }, () => {
    const lines = readFileSync(join(dir, 'peers.csv'), 'utf8').trimEnd().split('\n')
    assert.equal(lines.length, N + 1)
    const header = lines[0].split(',')
    for (const col of ['peer_id', 'ring_id', 'position', 'cost_service', 'cost_total', 'routing_state', 'keys', 'rate_cost_total_per_s', 'served_forwarding_bytesIn']) assert.ok(header.includes(col), col)
    for (const l of lines.slice(1)) assert.equal(l.split(',').length, header.length)
  })

  test('every SVG exists and is well-formed', { timeout: 10_000 }, () => {
    const names = [...TERMS.map(t => `cost-by-position-${t}.svg`), 'hops.svg', 'distribution.svg']
    for (const name of names) {
      const p = join(dir, name)
      assert.ok(existsSync(p), `${name} missing`)
      const svg = readFileSync(p, 'utf8')
      assert.equal(wellFormed(svg), null, name)
      assert.match(svg, /<svg /)
    }
    assert.deepEqual([...fromFile.files].sort(), ['report.json', 'peers.csv', ...names].sort())
  })

  test('the model section compares hops with the model', { timeout: 10_000 }, () => {
    const m = fromFile.model!
    assert.equal(m.n, N)
    assert.equal(m.routeCandidates, 'all')
    assert.ok(m.hops.lookups >= 2 * KEYS)
    assert.equal(m.hops.measuredMean, fromFile.totals.lookups.hops / fromFile.totals.lookups.ok)
    assert.ok(Number.isFinite(m.hops.predicted) && m.hops.predicted > 0)
    assert.ok(Number.isFinite(m.hops.relativeError))
    assert.ok(m.hops.predictedFingersOnly != null && m.hops.savedBySuccessors != null)
    assert.ok(m.hops.models.length >= 1)
    assert.ok(Math.abs(sum(m.hops.measuredPmf) - 1) < 1e-9)
    assert.ok(Math.abs(sum(m.hops.models[0].pmf) - 1) < 1e-9)
    // N - 1 = 5 <= r = 8: every peer is one hop away, the model says 1 - 1/N.
    assert.ok(Math.abs(m.hops.predicted - (1 - 1 / N)) < 1e-12)
    assert.ok(Number.isFinite(m.routingState.relativeError) && Number.isFinite(m.distinctFingers.relativeError))
    assert.equal(m.forwarding.accessHops, fromFile.totals.lookups.hops)
  })
})

function sum (v: readonly number[]): number {
  let s = 0
  for (const x of v) s += x
  return s
}
