#!/usr/bin/env node
// Offline check of model/costModel.ts (docs/cost-model.md): build rings of N random 160-bit
// ids with ideal fingers, successor lists and predecessors, route uniform lookups with the
// daemon's own routeStep, and print measured means next to the model's predictions. No sockets.
//
//   npm run build && node dist/tools/simulateHops.js [--sizes 8,16,...] [--lookups 20000]
//       [--successors 8] [--seed 1] [--json]
import { parseArgs } from 'node:util'
import { routeStep } from '../daemon/ring/routeStep.js'
import { ID_BITS, MAX_HOPS } from '../protocol/constants.js'
import { expectedDistinctFingers, expectedHops, expectedRoutingState, relativeError } from '../model/costModel.js'
import type { PeerRef } from '../protocol/peerInfo.js'
import { RING_SIZE, fingerStart, inHalfOpen } from '../protocol/ring.js'
import { seededIds, splitmix64 } from './lib/stats.js'

interface Row {
  n: number
  rings: number
  lookups: number
  hopsFingers: { sim: number, se: number, model: number, err: number }
  hopsAll: { sim: number, se: number, model: number, err: number }
  distinctFingers: { sim: number, model: number, err: number }
  routingState: { sim: number, model: number, err: number }
}

/** Seeded (splitmix64), so a table can be reproduced. */
function prng (seed: bigint): { id: () => bigint, below: (n: number) => number } {
  const next64 = splitmix64(seed)
  const ids = seededIds(seed ^ 0x5bd1e995n)
  return { id: ids, below: (n: number) => Number(next64() % BigInt(n)) }
}

interface Ring {
  peers: PeerRef[]
  fingers: PeerRef[][]
  successors: PeerRef[][]
  /** Distinct peers in fingers + successor list + predecessor, per peer. */
  state: number[]
}

/** Index of successor(x): the first id >= x, wrapping. */
function successorIndex (peers: readonly PeerRef[], x: bigint): number {
  let lo = 0
  let hi = peers.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (peers[mid].id < x) lo = mid + 1
    else hi = mid
  }
  return lo === peers.length ? 0 : lo
}

function buildRing (n: number, r: number, rand: ReturnType<typeof prng>): Ring {
  const ids = new Set<bigint>()
  while (ids.size < n) ids.add(rand.id())
  const peers = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((id, i): PeerRef => ({ peerId: `p${i}`, id, addrs: [] }))
  const fingers: PeerRef[][] = []
  const successors: PeerRef[][] = []
  const state: number[] = []
  for (let k = 0; k < n; k++) {
    const self = peers[k]
    const succ = peers[(k + 1) % n]
    // finger[i] = successor(self + 2^i); reuse finger[i-1] while start(i) is in (self, finger[i-1]]
    const table: PeerRef[] = []
    let prev = succ
    for (let i = 0; i < ID_BITS; i++) {
      const start = fingerStart(self.id, i)
      if (i > 0 && !inHalfOpen(start, self.id, prev.id)) prev = peers[successorIndex(peers, start)]
      table.push(prev)
    }
    const distinct: PeerRef[] = []
    const seen = new Set<string>([self.peerId])
    for (const p of table) if (!seen.has(p.peerId)) { seen.add(p.peerId); distinct.push(p) }
    const list: PeerRef[] = []
    for (let j = 1; j <= Math.min(r, n - 1); j++) list.push(peers[(k + j) % n])
    const known = new Set<string>([...distinct, ...list].map(p => p.peerId))
    if (n > 1) known.add(peers[(k - 1 + n) % n].peerId)
    fingers.push(distinct)
    successors.push(list)
    state.push(known.size)
  }
  return { peers, fingers, successors, state }
}

/** Hops from peer `from` to the predecessor of `target`, with the daemon's routing step. */
function route (ring: Ring, from: number, target: bigint, fingersOnly: boolean, index: Map<string, number>): number {
  let cur = from
  for (let hops = 0; hops <= MAX_HOPS; hops++) {
    const d = routeStep({ self: ring.peers[cur], successors: ring.successors[cur], fingers: ring.fingers[cur], target, fingersOnly })
    if (d.kind === 'owner') {
      const want = ring.peers[successorIndex(ring.peers, target)]
      if (d.owner.peerId !== want.peerId) throw new Error(`routed to ${d.owner.peerId}, owner is ${want.peerId}`)
      return hops
    }
    const next = d.candidates[0]
    if (next == null) throw new Error('no next hop on an ideal ring')
    cur = index.get(next.peerId) ?? -1
  }
  throw new Error(`lookup exceeded ${MAX_HOPS} hops`)
}

function summarize (xs: number[]): { mean: number, se: number } {
  let s = 0
  let s2 = 0
  for (const x of xs) { s += x; s2 += x * x }
  const mean = s / xs.length
  const variance = Math.max(0, s2 / xs.length - mean * mean)
  return { mean, se: Math.sqrt(variance / xs.length) }
}

export function simulate (n: number, opts: { lookups: number, successors: number, seed: bigint }): Row {
  const rand = prng(opts.seed * 1_000_003n + BigInt(n))
  const rings = Math.max(2, Math.ceil(4096 / n))
  const perRing = Math.ceil(opts.lookups / rings)
  const hopsF: number[] = []
  const hopsA: number[] = []
  let fingerSum = 0
  let stateSum = 0
  for (let g = 0; g < rings; g++) {
    const ring = buildRing(n, opts.successors, rand)
    const index = new Map(ring.peers.map((p, i) => [p.peerId, i]))
    for (let k = 0; k < n; k++) { fingerSum += ring.fingers[k].length; stateSum += ring.state[k] }
    for (let q = 0; q < perRing; q++) {
      const from = rand.below(n)
      const target = rand.id()
      hopsF.push(route(ring, from, target, true, index))
      hopsA.push(route(ring, from, target, false, index))
    }
  }
  const f = summarize(hopsF)
  const a = summarize(hopsA)
  const mF = expectedHops(n, { fingersOnly: true })
  const mA = expectedHops(n, { fingersOnly: false, successors: opts.successors })
  const dF = fingerSum / (rings * n)
  const st = stateSum / (rings * n)
  const mdF = expectedDistinctFingers(n)
  const mSt = expectedRoutingState(n, opts.successors)
  return {
    n,
    rings,
    lookups: hopsF.length,
    hopsFingers: { sim: f.mean, se: f.se, model: mF, err: relativeError(f.mean, mF) },
    hopsAll: { sim: a.mean, se: a.se, model: mA, err: relativeError(a.mean, mA) },
    distinctFingers: { sim: dF, model: mdF, err: relativeError(dF, mdF) },
    routingState: { sim: st, model: mSt, err: relativeError(st, mSt) }
  }
}

function main (): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '8,16,32,64,128,256,512,1024' },
      lookups: { type: 'string', default: '20000' },
      successors: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false }
    }
  })
  const sizes = values.sizes.split(',').map(s => Number(s.trim()))
  if (sizes.some(n => !Number.isInteger(n) || n < 2)) throw new Error('--sizes takes integers >= 2')
  const lookups = Number(values.lookups)
  const successors = Number(values.successors)
  const seed = BigInt(values.seed)
  const rows = sizes.map(n => simulate(n, { lookups, successors, seed }))
  if (values.json) { console.log(JSON.stringify(rows, null, 2)); return }
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`
  const f2 = (x: number): string => x.toFixed(3)
  console.log(`random ${ID_BITS}-bit ids, ideal routing state; hops = forwards to the owner's predecessor; r = ${successors}`)
  console.log('| N | rings | lookups | hops fingers: sim ± se | model | err | hops all: sim ± se | model | err | distinct fingers: sim | model | err | routing state: sim | model | err |')
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of rows) {
    console.log(`| ${r.n} | ${r.rings} | ${r.lookups} | ${f2(r.hopsFingers.sim)} ± ${f2(r.hopsFingers.se)} | ${f2(r.hopsFingers.model)} | ${pct(r.hopsFingers.err)} ` +
      `| ${f2(r.hopsAll.sim)} ± ${f2(r.hopsAll.se)} | ${f2(r.hopsAll.model)} | ${pct(r.hopsAll.err)} ` +
      `| ${f2(r.distinctFingers.sim)} | ${f2(r.distinctFingers.model)} | ${pct(r.distinctFingers.err)} ` +
      `| ${f2(r.routingState.sim)} | ${f2(r.routingState.model)} | ${pct(r.routingState.err)} |`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main()
