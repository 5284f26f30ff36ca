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
import { defaultProcs } from './lib/packing.js'
import { PACE_MAX_WAIT_MS, START_TIMEOUT_MS, createTestnet, type Testnet } from './testnet.js'
import { mapLimit } from './lib/concurrency.js'
import { parseDistribution, runRatedWorkload } from './lib/ratedWorkload.js'
import { mean, percentile, round } from './lib/stats.js'
import { xyChart } from './lib/svg.js'
import { toCsv } from './lib/report.js'
import { cpuTimes, formatMachineLoad, machineLoad, type MachineLoad } from './lib/machineLoad.js'
import { ProgressLine } from './lib/progress.js'
import { DEFAULTS } from '../protocol/constants.js'

const program = new Command('sweep')
  .description('run the local swarm at several sizes and set what it cost beside the model')
  .addOption(new Option('--sizes <list>', 'swarm sizes').default('8,16,32,64,128,256,512,1024'))
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
  /** Measured on a saturated machine (rule: tools/lib/machineLoad.ts): the row is the machine's cost, not Chord's. */
  saturated: boolean
  /** The machine's own load over the workload. */
  machine: MachineLoad
}

async function scrape (net: Testnet): Promise<PeerStats[]> {
  const got = await mapLimit(net.live(), 16, async p => await net.client.stats(p.target).catch(() => undefined))
  return got.filter((s): s is PeerStats => s != null)
}

const servedSum = (all: PeerStats[], term: 'service' | 'forwarding' | 'maintenance' | 'access'): number =>
  all.reduce((s, p) => s + p.meters.served[term].requests + (term === 'maintenance' ? p.meters.sent.maintenance.requests : 0), 0)

interface MeasureInit {
  /** The sweep's options, as given. */
  o: Record<string, string>
  fingersOnly: boolean
  /** Each size's peers get their data dirs under this. */
  workDir: string
  progress: ProgressLine
}

async function measure (n: number, { o, fingersOnly, workDir, progress }: MeasureInit): Promise<Row> {
  const procs = defaultProcs(n)
  const t0 = performance.now()
  progress.update({ phase: `N = ${n} starting`, peersStarted: 0, peersTotal: n, ring: undefined, acked: undefined })
  const net = await createTestnet({
    peers: n,
    onPeerStarted: started => { progress.update({ peersStarted: started }) },
    // Join waves wait while an event loop lags (tools/lib/joinPacing.ts), as the swarm's do.
    paceMaxWaitMs: PACE_MAX_WAIT_MS,
    startTimeoutMs: START_TIMEOUT_MS,
    onPaced: p => { progress.update({ phase: `N = ${n} starting (a wave paced ${Math.round(p.waitedMs / 1000)} s for lagging event loops)` }) },
    procs,
    dataRoot: join(workDir, `n${n}`),
    // Choking off: the model is plain Chord (no in-neighbour routing candidates, no probes, nobody choked).
    peerConfig: { successors: Number(o.successors), stabilizeMs: Number(o.stabilizeMs), fixFingersMs: Number(o.fixFingersMs), checkPredecessorMs: 1000, repairMs: 2000, choking: { enabled: false } }
  })
  try {
    progress.update({ phase: `N = ${n} converging` })
    const ideal = await net.waitIdeal({
      timeoutMs: Number(o.convergeTimeoutMs), fingers: true, pollMs: 500, onCheck: c => { progress.update({ ring: { right: c.right, total: c.members, ideal: c.ideal } }) }
    })
    if (!ideal.ideal) throw new Error(`N = ${n}: ring not ideal after ${o.convergeTimeoutMs} ms`)
    const convergenceMs = performance.now() - t0
    const before = await scrape(net)
    progress.update({ phase: `N = ${n} workload ${o.duration} s`, acked: { done: 0, what: 'ops ok' } })
    await net.markLoad()
    const machineBefore = cpuTimes()
    const w = await runRatedWorkload(net.client, () => net.live().map(p => p.target), {
      rate: Number(o.rate), durationS: Number(o.duration), readRatio: Number(o.readRatio), keySpace: Number(o.keys),
      distribution: parseDistribution(o.workload), seed: n, op: { fingersOnly }, onOk: done => { progress.update({ acked: { done, what: 'ops ok' } }) }
    })
    const machine = machineLoad({
      window: `the ${o.duration} s workload, until its last operation ended`,
      processes: await net.markLoad(),
      machine: { before: machineBefore, after: cpuTimes() },
      pastDeadline: w.pastDeadline,
      ops: w.issued - w.dropped,
      // The sweep's peers run with the daemon's RPC timeout.
      rpcTimeoutMs: DEFAULTS.rpcTimeoutMs
    })
    progress.update({ phase: `N = ${n} scraping`, acked: undefined })
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
      routingState: { measured: round(routing), model: round(model.routingState), relErr: round(relativeError(routing, model.routingState), 4) },
      saturated: machine.saturated,
      machine
    }
  } finally {
    await net.stop()
  }
}

function plots (rows: Row[], out: string, route: string): string[] {
  const xs = (f: (r: Row) => number): Array<[number, number]> => rows.map(r => [Math.log2(r.n), f(r)])
  // Measured points of a size run on a saturated machine are ringed: the machine's cost, not Chord's.
  const flags = rows.map(r => r.saturated)
  const flagLegend = 'ringed: saturated machine, the machine\'s cost, not Chord\'s'
  const charts: Record<string, string> = {
    'hops-vs-n.svg': xyChart({ title: 'Access cost: hops per lookup against N', subtitle: `route ${route}; model: docs/cost-model.md`, xLabel: 'log2 N', yLabel: 'hops to the owner\'s predecessor', flagLegend, series: [
      { name: 'measured', points: xs(r => r.hops.measured), mode: 'both', flags },
      { name: 'model', points: xs(r => r.hops.model), mode: 'line' },
      { name: 'model, fingers only', points: xs(r => r.hops.modelFingersOnly), mode: 'line' }] }),
    'latency-vs-n.svg': xyChart({ title: 'Access cost: lookup latency against N', xLabel: 'log2 N', yLabel: 'ms', flagLegend, series: [
      { name: 'mean', points: xs(r => r.latencyMs.mean), mode: 'both', flags }, { name: 'p50', points: xs(r => r.latencyMs.p50), mode: 'both', flags }] }),
    'cost-per-peer-vs-n.svg': xyChart({ title: 'Forwarding and maintenance per peer against N', subtitle: 'requests per peer per second of workload', xLabel: 'log2 N', yLabel: 'requests / peer / s', flagLegend, series: [
      { name: 'forwarding R', points: xs(r => r.perPeerPerSec.forwarding), mode: 'both', flags },
      { name: 'maintenance M', points: xs(r => r.perPeerPerSec.maintenance), mode: 'both', flags },
      { name: 'service S', points: xs(r => r.perPeerPerSec.service), mode: 'both', flags }] }),
    'routing-state-vs-n.svg': xyChart({ title: 'Maintenance state: distinct peers known against N', xLabel: 'log2 N', yLabel: 'peers', flagLegend, series: [
      { name: 'measured', points: xs(r => r.routingState.measured), mode: 'both', flags }, { name: 'model', points: xs(r => r.routingState.model), mode: 'line' }] })
  }
  for (const [name, svg] of Object.entries(charts)) writeFileSync(join(out, name), svg)
  return Object.keys(charts)
}

/** The machine column: saturated rows say so first; every row shows the load it was measured under. */
function machineCell (m: MachineLoad): string {
  return `${m.saturated ? '**SATURATED** ' : ''}CPU ${Math.round(m.cpuShare * 100)}% of ${m.cores}, loop p99 ${m.loopDelayMs.p99} ms, ${m.pastDeadline} past deadline`
}

function table (rows: Row[]): string {
  const head = '| N | machine | hops measured | hops model | error | latency mean ms | R /peer/s | M /peer/s | S /peer/s | routing state (model) | ops | lost |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n'
  // A saturated row's measured cells carry a *: they are the machine's cost, not Chord's.
  const m = (r: Row, v: number | string): string => r.saturated ? `${v}*` : String(v)
  const body = rows.map(r => `| ${r.n} | ${machineCell(r.machine)} | ${m(r, r.hops.measured)} | ${r.hops.model} | ${m(r, `${(r.hops.relErr * 100).toFixed(1)}%`)} | ${m(r, r.latencyMs.mean)} | ${m(r, r.perPeerPerSec.forwarding)} | ${m(r, r.perPeerPerSec.maintenance)} | ${m(r, r.perPeerPerSec.service)} | ${m(r, r.routingState.measured)} (${r.routingState.model}) | ${r.ops} | ${r.lost} |`).join('\n') + '\n'
  const note = rows.some(r => r.saturated) ? '\n\\* measured on a saturated machine (tools/lib/machineLoad.ts): the machine\'s cost, not Chord\'s.\n' : ''
  return head + body + note
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
  const progress = new ProgressLine({ label: 'sweep' }, { phase: 'starting', peersStarted: 0, peersTotal: sizes[0] })
  try {
    for (const n of sizes) {
      progress.above(() => process.stdout.write(`N = ${n}: starting...\n`))
      const row = await measure(n, { o, fingersOnly, workDir, progress })
      rows.push(row)
      progress.above(() => process.stdout.write(`N = ${n}: machine ${formatMachineLoad(row.machine)}\n` + `N = ${n}: ${row.saturated ? 'SATURATED, the machine\'s cost, not Chord\'s: ' : ''}ideal after ${(row.convergenceMs / 1000).toFixed(1)} s; hops ${row.hops.measured} (model ${row.hops.model}, ${(row.hops.relErr * 100).toFixed(1)}%), ` +
        `latency ${row.latencyMs.mean} ms, per peer per s: R ${row.perPeerPerSec.forwarding} M ${row.perPeerPerSec.maintenance} S ${row.perPeerPerSec.service}; ${row.ops} ops, ${row.lost} lost\n`))
    }
  } finally {
    progress.stop()
    rmSync(workDir, { recursive: true, force: true })
  }
  const files = plots(rows, o.out, o.routeCandidates)
  writeFileSync(join(o.out, 'sweep.json'), JSON.stringify({ options: o, saturatedSizes: rows.filter(r => r.saturated).map(r => r.n), rows }, null, 2) + '\n')
  writeFileSync(join(o.out, 'sweep.md'), table(rows))
  writeFileSync(join(o.out, 'sweep.csv'), toCsv([['n', 'saturated', 'cpu_share', 'machine_busy_share', 'loop_p99_ms', 'past_deadline', 'hops_measured', 'hops_model', 'hops_rel_err', 'latency_ms_mean', 'forwarding_per_peer_s', 'maintenance_per_peer_s', 'service_per_peer_s', 'routing_state', 'routing_state_model', 'ops', 'lost'],
    ...rows.map(r => [r.n, r.saturated ? 1 : 0, r.machine.cpuShare, r.machine.machineBusyShare, r.machine.loopDelayMs.p99, r.machine.pastDeadline, r.hops.measured, r.hops.model, r.hops.relErr, r.latencyMs.mean, r.perPeerPerSec.forwarding, r.perPeerPerSec.maintenance, r.perPeerPerSec.service, r.routingState.measured, r.routingState.model, r.ops, r.lost])]))
  process.stdout.write('\n' + table(rows) + `\nwrote sweep.json, sweep.md, sweep.csv, ${files.join(', ')} to ${o.out}\n`)
  return rows.every(r => r.lost === 0) ? 0 : 1
}

main().then(code => process.exit(code), err => {
  process.stderr.write(`sweep: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
