#!/usr/bin/env node
// npm run sweep: the local swarm at each size N with the same open-loop workload, measured
// beside the model — Christin & Chuang's Fig. 4 for Chord, on live sockets: mean access cost
// (hops, latency) and mean forwarding and maintenance cost per peer against N.
import '../daemon/host/quietWarnings.js'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command, Option } from 'commander'
import { expectedHops, modelFor, relativeError } from '../model/costModel.js'
import type { PeerStats } from '../protocol/telemetry.js'
import { createTestnet, type Testnet } from './testnet.js'
import { mapLimit } from './lib/concurrency.js'
import { parseDistribution, runRatedWorkload } from './lib/ratedWorkload.js'
import { mean, percentile, round } from './lib/stats.js'
import { xyChart } from './lib/svg.js'
import { toCsv } from './lib/report.js'

const program = new Command('sweep')
  .description('run the local swarm at several sizes and set what it cost beside the model')
  .addOption(new Option('--sizes <list>', 'swarm sizes').default('8,16,32,64,128,256'))
  .addOption(new Option('--out <dir>', 'where the table and plots go').default('reports/sweep'))
  .addOption(new Option('--route-candidates <which>', 'fingers only, or fingers + successor list').choices(['fingers', 'all']).default('all'))
  .addOption(new Option('--workload <dist>', 'key popularity: uniform or zipf:<s>').default('uniform'))
  .addOption(new Option('--rate <ops>', 'operations per second, whole swarm').default('100'))
  .addOption(new Option('--read-ratio <r>', 'share of reads').default('0.5'))
  .addOption(new Option('--duration <s>', 'workload seconds at each size').default('10'))
  .addOption(new Option('--keys <k>', 'key space').default('1000'))
  .addOption(new Option('--successors <r>', 'successor-list length').default('8'))
  .addOption(new Option('--stabilize-ms <ms>').default('500'))
  .addOption(new Option('--fix-fingers-ms <ms>').default('500'))
  .addOption(new Option('--converge-timeout-ms <ms>').default('240000'))

interface Row {
  n: number
  procs: number
  convergenceMs: number
  ops: number
  failed: number
  lost: number
  hops: { measured: number, model: number, relErr: number, modelFingersOnly: number }
  latencyMs: { mean: number, p50: number, p99: number }
  /** Per peer per second of workload, from the meters' deltas over the workload. */
  perPeerPerSec: { service: number, forwarding: number, maintenance: number, access: number }
  forwardingPerLookup: { measured: number, model: number, relErr: number }
  routingState: { measured: number, model: number, relErr: number }
}

async function scrape (net: Testnet): Promise<PeerStats[]> {
  const got = await mapLimit(net.live(), 16, async p => await net.client.stats(p.target).catch(() => undefined))
  return got.filter((s): s is PeerStats => s != null)
}

const servedSum = (all: PeerStats[], term: 'service' | 'forwarding' | 'maintenance' | 'access'): number =>
  all.reduce((s, p) => s + p.meters.served[term].requests + (term === 'maintenance' ? p.meters.sent.maintenance.requests : 0), 0)

async function measure (n: number, o: Record<string, string>, fingersOnly: boolean, workDir: string): Promise<Row> {
  const procs = Math.max(1, Math.min(8, Math.ceil(n / 32)))
  const t0 = performance.now()
  const net = await createTestnet({
    peers: n,
    procs,
    dataRoot: join(workDir, `n${n}`),
    // Choking off: the model is plain Chord (no in-neighbour routing candidates, no probes, nobody choked).
    peerConfig: { successors: Number(o.successors), stabilizeMs: Number(o.stabilizeMs), fixFingersMs: Number(o.fixFingersMs), checkPredecessorMs: 1000, repairMs: 2000, choking: { enabled: false } }
  })
  try {
    const ideal = await net.waitIdeal({ timeoutMs: Number(o.convergeTimeoutMs), fingers: true, pollMs: 500 })
    if (!ideal.ideal) throw new Error(`N = ${n}: ring not ideal after ${o.convergeTimeoutMs} ms`)
    const convergenceMs = performance.now() - t0
    const before = await scrape(net)
    const w = await runRatedWorkload(net.client, () => net.live().map(p => p.target), {
      rate: Number(o.rate), durationS: Number(o.duration), readRatio: Number(o.readRatio), keySpace: Number(o.keys),
      distribution: parseDistribution(o.workload), seed: n, op: { fingersOnly }
    })
    const after = await scrape(net)
    const secs = w.elapsedMs / 1000
    const delta = (term: 'service' | 'forwarding' | 'maintenance' | 'access'): number => (servedSum(after, term) - servedSum(before, term)) / n / secs
    const hops = w.samples.map(s => s.hops)
    const lat = w.samples.map(s => s.lookupUs / 1000)
    const model = modelFor(n, { fingersOnly, successors: Number(o.successors), replicas: 3, keys: Number(o.keys), lookupsPerPeer: w.ok / n })
    const measuredHops = mean(hops)
    const lookups = after.reduce((s, p) => s + p.meters.lookups.ok, 0) - before.reduce((s, p) => s + p.meters.lookups.ok, 0)
    const forwarded = servedSum(after, 'forwarding') - servedSum(before, 'forwarding')
    const routing = mean(after.map(p => p.ring.routingState))
    return {
      n,
      procs,
      convergenceMs: round(convergenceMs, 0),
      ops: w.ok,
      failed: w.failed,
      lost: w.lost,
      hops: { measured: round(measuredHops), model: round(model.hops), relErr: round(relativeError(measuredHops, model.hops), 4), modelFingersOnly: round(expectedHops(n, { fingersOnly: true })) },
      latencyMs: { mean: round(mean(lat)), p50: round(percentile(lat, 50)), p99: round(percentile(lat, 99)) },
      perPeerPerSec: { service: round(delta('service')), forwarding: round(delta('forwarding')), maintenance: round(delta('maintenance')), access: round(delta('access')) },
      // Served forwarding per own lookup during the workload: includes fix-fingers' lookups, so it sits above E[hops].
      forwardingPerLookup: { measured: round(forwarded / Math.max(1, lookups)), model: round(model.forwardsPerLookup), relErr: round(relativeError(forwarded / Math.max(1, lookups), model.forwardsPerLookup), 4) },
      routingState: { measured: round(routing), model: round(model.routingState), relErr: round(relativeError(routing, model.routingState), 4) }
    }
  } finally {
    await net.stop()
  }
}

function plots (rows: Row[], out: string, route: string): string[] {
  const xs = (f: (r: Row) => number): Array<[number, number]> => rows.map(r => [Math.log2(r.n), f(r)])
  const charts: Record<string, string> = {
    'hops-vs-n.svg': xyChart({ title: 'Access cost: hops per lookup against N', subtitle: `route ${route}; model: docs/cost-model.md`, xLabel: 'log2 N', yLabel: 'hops to the owner\'s predecessor', series: [
      { name: 'measured', points: xs(r => r.hops.measured), mode: 'both' },
      { name: 'model', points: xs(r => r.hops.model), mode: 'line' },
      { name: 'model, fingers only', points: xs(r => r.hops.modelFingersOnly), mode: 'line' }] }),
    'latency-vs-n.svg': xyChart({ title: 'Access cost: lookup latency against N', xLabel: 'log2 N', yLabel: 'ms', series: [
      { name: 'mean', points: xs(r => r.latencyMs.mean), mode: 'both' }, { name: 'p50', points: xs(r => r.latencyMs.p50), mode: 'both' }] }),
    'cost-per-peer-vs-n.svg': xyChart({ title: 'Forwarding and maintenance per peer against N', subtitle: 'requests per peer per second of workload', xLabel: 'log2 N', yLabel: 'requests / peer / s', series: [
      { name: 'forwarding R', points: xs(r => r.perPeerPerSec.forwarding), mode: 'both' },
      { name: 'maintenance M', points: xs(r => r.perPeerPerSec.maintenance), mode: 'both' },
      { name: 'service S', points: xs(r => r.perPeerPerSec.service), mode: 'both' }] }),
    'routing-state-vs-n.svg': xyChart({ title: 'Maintenance state: distinct peers known against N', xLabel: 'log2 N', yLabel: 'peers', series: [
      { name: 'measured', points: xs(r => r.routingState.measured), mode: 'both' }, { name: 'model', points: xs(r => r.routingState.model), mode: 'line' }] })
  }
  for (const [name, svg] of Object.entries(charts)) writeFileSync(join(out, name), svg)
  return Object.keys(charts)
}

function table (rows: Row[]): string {
  const head = '| N | hops measured | hops model | error | latency mean ms | R /peer/s | M /peer/s | S /peer/s | routing state (model) | ops | lost |\n|---|---|---|---|---|---|---|---|---|---|---|\n'
  return head + rows.map(r => `| ${r.n} | ${r.hops.measured} | ${r.hops.model} | ${(r.hops.relErr * 100).toFixed(1)}% | ${r.latencyMs.mean} | ${r.perPeerPerSec.forwarding} | ${r.perPeerPerSec.maintenance} | ${r.perPeerPerSec.service} | ${r.routingState.measured} (${r.routingState.model}) | ${r.ops} | ${r.lost} |`).join('\n') + '\n'
}

async function main (): Promise<number> {
  program.parse()
  const o = program.opts() as Record<string, string>
  const sizes = o.sizes.split(',').map(Number)
  if (sizes.some(n => !Number.isInteger(n) || n < 2 || n > 1024)) { process.stderr.write('sweep: --sizes takes integers in [2, 1024]\n'); return 2 }
  const fingersOnly = o.routeCandidates === 'fingers'
  mkdirSync(o.out, { recursive: true })
  const workDir = mkdtempSync(join(tmpdir(), 'chordmeter-sweep-'))
  const rows: Row[] = []
  try {
    for (const n of sizes) {
      process.stdout.write(`N = ${n}: starting...\n`)
      const row = await measure(n, o, fingersOnly, workDir)
      rows.push(row)
      process.stdout.write(`N = ${n}: ideal after ${(row.convergenceMs / 1000).toFixed(1)} s; hops ${row.hops.measured} (model ${row.hops.model}, ${(row.hops.relErr * 100).toFixed(1)}%), ` +
        `latency ${row.latencyMs.mean} ms, per peer per s: R ${row.perPeerPerSec.forwarding} M ${row.perPeerPerSec.maintenance} S ${row.perPeerPerSec.service}; ${row.ops} ops, ${row.lost} lost\n`)
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
  const files = plots(rows, o.out, o.routeCandidates)
  writeFileSync(join(o.out, 'sweep.json'), JSON.stringify({ options: o, rows }, null, 2) + '\n')
  writeFileSync(join(o.out, 'sweep.md'), table(rows))
  writeFileSync(join(o.out, 'sweep.csv'), toCsv([['n', 'hops_measured', 'hops_model', 'hops_rel_err', 'latency_ms_mean', 'forwarding_per_peer_s', 'maintenance_per_peer_s', 'service_per_peer_s', 'routing_state', 'routing_state_model', 'ops', 'lost'],
    ...rows.map(r => [r.n, r.hops.measured, r.hops.model, r.hops.relErr, r.latencyMs.mean, r.perPeerPerSec.forwarding, r.perPeerPerSec.maintenance, r.perPeerPerSec.service, r.routingState.measured, r.routingState.model, r.ops, r.lost])]))
  process.stdout.write('\n' + table(rows) + `\nwrote sweep.json, sweep.md, sweep.csv, ${files.join(', ')} to ${o.out}\n`)
  return rows.every(r => r.lost === 0) ? 0 : 1
}

main().then(code => process.exit(code), err => {
  process.stderr.write(`sweep: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
