// Meters count exactly what happened. On a fully populated ring of 16 peers at equal
// spacing, routing over fingers only, every lookup's path is known (popcount hops, highest
// power of two first), so each peer's S, R, M and A deltas over a scripted workload with
// maintenance paused can be computed by hand and compared with the meters.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { hashToId, idToBytes } from '../../protocol/ring.js'
import { createTestnet, type Testnet, type TestPeer } from '../../tools/testnet.js'
import { type CostTerm, TERMS } from '../../protocol/telemetry.js'

const K = 4
const N = 2 ** K
const SPACING = 1n << BigInt(160 - K)
const enc = new TextEncoder()

type Delta = Record<CostTerm, { served: number, sent: number }> & { lookups: number, hops: number }
const empty = (): Delta => ({ service: { served: 0, sent: 0 }, forwarding: { served: 0, sent: 0 }, maintenance: { served: 0, sent: 0 }, access: { served: 0, sent: 0 }, lookups: 0, hops: 0 })

/** The peers a fingers-only greedy lookup from a visits to reach pred(owner): highest power of two first. */
function path (a: number, owner: number): number[] {
  let d = (owner - 1 - a + 2 * N) % N
  const visited: number[] = []
  let at = a
  for (let bit = K - 1; bit >= 0; bit--) {
    if ((d & (1 << bit)) !== 0) { at = (at + (1 << bit)) % N; visited.push(at); d -= 1 << bit }
  }
  return visited
}

/** Owner index of a ring id on the full ring: the first peer at or after it. */
const ownerOf = (id: bigint): number => Number(((id + SPACING - 1n) / SPACING) % BigInt(N))

describe('meters count exactly what happened', () => {
  let net: Testnet
  const byIndex = new Map<number, TestPeer>()
  const snap = (p: TestPeer): Delta => {
    const m = p.local!.meters
    const d = empty()
    for (const t of TERMS) d[t] = { served: m.served[t].requests, sent: m.sent[t].requests }
    d.lookups = m.lookups.ok
    d.hops = m.lookups.hops
    return d
  }

  before(async () => {
    net = await createTestnet({
      peers: N,
      // Choking off: its probes (first sight of a requester) are metered too, as maintenance sent
      // and forwarding served, and would add to the hand-computed deltas of plain Chord.
      peerConfig: { successors: 1, replicas: 1, writeQuorum: 1, allowExplicitIds: true, stabilizeMs: 100, fixFingersMs: 30, checkPredecessorMs: 200, repairMs: 60_000, choking: { enabled: false } },
      configFor: i => ({ idHex: (BigInt(i) * SPACING).toString(16) })
    })
    for (const p of net.peers) byIndex.set(Number(BigInt('0x' + p.info.ringId) / SPACING), p)
    assert.ok((await net.waitIdeal({ timeoutMs: 60_000, fingers: true })).fingersIdeal)
    // Exact paths need every peer routable: a peer suspected during the joins (a timeout on a
    // loaded machine) is routed around until it answers again, and its probes stop with maintenance.
    const deadline = Date.now() + 30_000
    while (net.peers.some(p => p.local!.stats().faults!.suspectCount > 0) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 200))
    for (const p of net.peers) await p.local!.pauseMaintenance(true)
  })
  after(async () => { await net?.stop() })

  test('lookups and puts: S, R, M, A of every peer equal the hand-computed deltas', { timeout: 60_000 }, async () => {
    const before = new Map(net.peers.map(p => [p.index, snap(p)]))
    const want = new Map(net.peers.map(p => [p.index, empty()]))
    const at = (i: number): Delta => want.get(byIndex.get(i)!.index)!
    const route = (a: number, owner: number): number => {
      const hops = path(a, owner)
      at(a).access.served++ // the client's request
      at(a).lookups++
      at(a).hops += hops.length
      if (hops.length > 0) at(a).access.sent++ // the originator's first FIND_SUCCESSOR
      hops.forEach((f, i) => {
        at(f).forwarding.served++
        if (i < hops.length - 1) at(f).forwarding.sent++
      })
      return hops.length
    }
    // Lookups of raw ids, from every peer, to several owners.
    for (let a = 0; a < N; a++) {
      for (const o of [(a + 3) % N, (a + 8) % N, (a + 15) % N]) {
        const res = await net.client.lookup(byIndex.get(a)!.target, { target: idToBytes(BigInt(o) * SPACING) }, { fingersOnly: true })
        assert.equal(res.hops, route(a, o))
      }
    }
    // Puts of keys: the owner serves the write (service) whether the entry peer is it or not.
    for (let i = 0; i < 40; i++) {
      const key = enc.encode(`metered-${i}`)
      const o = ownerOf(hashToId(key))
      const a = (i * 7) % N
      const res = await net.client.put(byIndex.get(a)!.target, key, enc.encode('v'), { fingersOnly: true })
      assert.equal(res.hops, route(a, o))
      at(o).service.served++
      if (o !== a) at(a).access.sent++ // STORE_PUT from the entry peer to the owner
    }
    for (const p of net.peers) {
      const b = before.get(p.index)!
      const now = snap(p)
      const got = empty()
      for (const t of TERMS) got[t] = { served: now[t].served - b[t].served, sent: now[t].sent - b[t].sent }
      got.lookups = now.lookups - b.lookups
      got.hops = now.hops - b.hops
      assert.deepEqual(got, want.get(p.index), `peer at position ${Number(BigInt('0x' + p.info.ringId) / SPACING)}`)
    }
  })

  test('one stabilize round is two maintenance messages: one sent, one served', { timeout: 30_000 }, async () => {
    const a = byIndex.get(5)!
    const succ = byIndex.get(6)!
    const before = [snap(a), snap(succ)]
    await a.local!.stabilizeOnce()
    const [da, ds] = [snap(a), snap(succ)]
    assert.equal(da.maintenance.sent - before[0].maintenance.sent, 1)
    assert.equal(ds.maintenance.served - before[1].maintenance.served, 1)
    const m = a.local!.meters
    assert.equal(m.costs().maintenance, m.served.maintenance.requests + m.sent.maintenance.requests, 'M = maintenance messages sent + received at price 1')
  })

  test('/metrics parses as Prometheus text and agrees with the meters', { timeout: 30_000 }, async () => {
    const net2 = await createTestnet({ peers: 2, peerConfig: { http: '127.0.0.1:0', stabilizeMs: 100, fixFingersMs: 50, checkPredecessorMs: 200 } })
    try {
      await net2.waitIdeal({ timeoutMs: 20_000 })
      const p = net2.peers[0]
      for (const q of net2.peers) await q.local!.pauseMaintenance(true)
      const text = await (await fetch(`http://${p.info.http}/metrics`)).text()
      const samples = new Map<string, number>()
      for (const line of text.split('\n')) {
        if (line === '' || line.startsWith('#')) continue
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/.exec(line)
        assert.ok(m != null, `not Prometheus text: ${line}`)
        samples.set(m[1] + (m[2] ?? ''), Number(m[3]))
      }
      assert.ok(/# TYPE chord_requests_total counter/.test(text))
      const peer = /peer="([0-9a-f]+)"/.exec(text)![1]
      const served = samples.get(`chord_requests_total{direction="served",term="maintenance",peer="${peer}"}`)
      assert.equal(served, p.local!.meters.served.maintenance.requests)
      assert.equal(samples.get(`chord_routing_state_peers{peer="${peer}"}`), 1)
      const stats = await (await fetch(`http://${p.info.http}/stats`)).json() as { meters: { costs: { total: number } } }
      assert.equal(stats.meters.costs.total, p.local!.meters.costs().total)
      assert.equal((await fetch(`http://${p.info.http}/readyz`)).status, 200)
    } finally {
      await net2.stop()
    }
  })
})
