#!/usr/bin/env node
// npm run bench: in ONE process on loopback, measure (1) a raw TCP round trip, (2) a
// round trip on one kept-open libp2p stream (noise + yamux), (3) Chord lookups in an
// in-process swarm, and report per-hop latency against the two baselines.
import '../daemon/host/quietWarnings.js'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { dirname } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, Stream } from '@libp2p/interface'
import { Command, Option } from 'commander'
import { createNode } from '../daemon/host/libp2pNode.js'
import type { ClientResult } from '../protocol/chord.js'
import { mean, percentile, round } from './lib/stats.js'
import { createTestnet, type Testnet } from './testnet.js'
import { CostMeters } from '../daemon/meters/costMeters.js'
import { KadSwarm, type KadFill } from './lib/kadBench.js'
import { putGetPairs, type PairsResult } from './lib/putGetPairs.js'

const PAYLOAD = 64
const ECHO = '/chordmeter/bench-echo/1.0.0'

interface Rtt { meanUs: number, p50Us: number, p99Us: number, n: number }
interface Report {
  node: string
  date: string
  rawTcp?: Rtt
  libp2pStream?: Rtt
  /** Same stream measurement repeated while the swarm's maintenance runs (not part of the ratios). */
  libp2pStreamDuringSwarm?: Rtt
  chord?: {
    peers: number
    fingersIdeal: boolean
    convergeMs: number
    lookups: number
    errors: number
    hopsMean: number
    hopsHistogram: Record<string, number>
    lookupUs: { mean: number, p50: number, p99: number }
    perHopUs: number
    perHopUsSlope: number
    interceptUs: number
    /** Slope through the medians of lookupUs per hop count (robust to the tail). */
    perHopUsMedianSlope: number
    /** CPU this process used while the swarm sat idle (maintenance only), % of one core. */
    idleCpuPct: number
    lookupsPerSec?: number
    lookupsPerSecMetersOff?: number
    /** 1 - (lookups/s with meters on) / (with meters off); the goal is <= 0.05. */
    meteringOverhead?: number
    /** One meter call, ns; and meter calls x that cost as a share of a lookup's CPU time. */
    meterNsPerCall?: number
    /** Per hop (sum/sum) with every peer's maintenance paused. */
    perHopUsQuiet?: number
    /** Median over lookups of at least one hop of lookupUs / hops: the figure the goal compares with the stream's median. */
    perHopUsMedian: number
    /** The same with every peer's maintenance paused. */
    perHopUsMedianQuiet?: number
    meteringCpuShare?: number
    throughputErrors?: number
  }
  /** Medians on both sides: per hop (median of lookupUs / hops) over the stream round trip's p50, and the stream's p50 over TCP's. */
  ratios?: { perHopOverStream: number, perHopQuietOverStream: number, streamOverTcp: number }
  /** --vs-kad: the same put+get pairs on chordmeter's swarm and on kad-dht's, one after the other. */
  vsKad?: { peers: number, pairs: number, chord: PairsResult, kad?: PairsResult, kadFill?: KadFill, getP50Ratio?: number }
  incomplete?: string
}

function summarize (us: number[]): Rtt {
  return { meanUs: round(mean(us), 1), p50Us: round(percentile(us, 50), 1), p99Us: round(percentile(us, 99), 1), n: us.length }
}

/** Time `n` sequential round trips after `warm` untimed ones (and at least 1 s of them, for the JIT); us each. */
async function timeRoundTrips (rt: () => Promise<void>, warm: number, n: number): Promise<number[]> {
  const warmUntil = performance.now() + 1000
  for (let i = 0; i < warm || performance.now() < warmUntil; i++) await rt()
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await rt()
    out[i] = (performance.now() - t) * 1000
  }
  return out
}

async function rawTcp (warm: number, n: number, cleanup: Array<() => Promise<void>>): Promise<Rtt> {
  const server: Server = createServer(s => { s.setNoDelay(true); s.on('data', d => s.write(d)) })
  cleanup.push(async () => { await new Promise<void>(resolve => server.close(() => resolve())) })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const sock: Socket = createConnection({ host: '127.0.0.1', port: (server.address() as AddressInfo).port })
  cleanup.push(async () => { sock.destroy() })
  await once(sock, 'connect')
  sock.setNoDelay(true)
  const buf = randomBytes(PAYLOAD)
  let got = 0
  let wake: (() => void) | undefined
  sock.on('data', d => { got += d.length; if (got >= PAYLOAD && wake != null) { const w = wake; wake = undefined; w() } })
  const rt = async (): Promise<void> => {
    got = 0
    const done = new Promise<void>(resolve => { wake = resolve })
    sock.write(buf)
    await done
  }
  return summarize(await timeRoundTrips(rt, warm, n))
}

async function echoPair (cleanup: Array<() => Promise<void>>): Promise<{ stream: Stream, rt: () => Promise<void> }> {
  const a: Libp2p = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] })
  const b: Libp2p = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] })
  cleanup.push(async () => { await Promise.allSettled([a.stop(), b.stop()]) })
  await b.handle(ECHO, async stream => {
    try {
      for await (const chunk of stream) if (!stream.send(chunk)) await stream.onDrain()
      await stream.close()
    } catch { stream.abort(new Error('echo failed')) }
  })
  const stream = await a.dialProtocol(b.getMultiaddrs(), ECHO, { signal: AbortSignal.timeout(10_000) })
  const it = stream[Symbol.asyncIterator]()
  const buf = randomBytes(PAYLOAD)
  const rt = async (): Promise<void> => {
    if (!stream.send(buf)) await stream.onDrain()
    let got = 0
    while (got < PAYLOAD) {
      const r = await it.next()
      if (r.done === true) throw new Error('echo stream ended')
      got += r.value.byteLength
    }
  }
  return { stream, rt }
}

/** Least-squares fit y = a + b x; returns [a, b]. */
function fit (xs: number[], ys: number[]): [number, number] {
  const mx = mean(xs)
  const my = mean(ys)
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < xs.length; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2 }
  const b = sxx === 0 ? NaN : sxy / sxx
  return [my - b * mx, b]
}

function printTable (r: Report): void {
  const row = (name: string, x?: Rtt): string => x == null ? `${name.padEnd(34)} (not measured)\n`
    : `${name.padEnd(34)} mean ${x.meanUs.toFixed(1).padStart(8)} us   p50 ${x.p50Us.toFixed(1).padStart(8)} us   p99 ${x.p99Us.toFixed(1).padStart(8)} us   n=${x.n}\n`
  let s = `chordmeter bench  node ${r.node}  ${r.date}\n`
  s += row('raw TCP round trip', r.rawTcp)
  s += row('libp2p stream round trip', r.libp2pStream)
  if (r.libp2pStreamDuringSwarm != null) s += row('libp2p stream rtt (swarm running)', r.libp2pStreamDuringSwarm)
  const c = r.chord
  if (c != null) {
    s += `${'chord lookup (inside entry peer)'.padEnd(34)} mean ${c.lookupUs.mean.toFixed(1).padStart(8)} us   p50 ${c.lookupUs.p50.toFixed(1).padStart(8)} us   p99 ${c.lookupUs.p99.toFixed(1).padStart(8)} us   n=${c.lookups} errors=${c.errors}\n`
    s += `${'chord swarm'.padEnd(34)} ${c.peers} peers, fingers ${c.fingersIdeal ? 'ideal' : 'NOT ideal'} after ${(c.convergeMs / 1000).toFixed(1)} s, hops mean ${c.hopsMean} ${JSON.stringify(c.hopsHistogram)}\n`
    s += `${'per hop (median of lookup / hops)'.padEnd(34)} ${c.perHopUsMedian.toFixed(1)} us   maintenance paused ${c.perHopUsMedianQuiet?.toFixed(1) ?? '-'} us\n`
    s += `${'per hop (means)'.padEnd(34)} ${c.perHopUs.toFixed(1)} us (sum/sum)   ${c.perHopUsSlope.toFixed(1)} us (slope, intercept ${c.interceptUs.toFixed(1)} us)   ${c.perHopUsMedianSlope.toFixed(1)} us (slope of medians)\n`
    s += `${'swarm idle CPU (maintenance)'.padEnd(34)} ${c.idleCpuPct.toFixed(1)} % of one core\n`
    if (c.lookupsPerSec != null) s += `${'throughput (32 in flight)'.padEnd(34)} ${c.lookupsPerSec.toFixed(0)} lookups/s meters on, ${c.lookupsPerSecMetersOff?.toFixed(0)} off: overhead ${((c.meteringOverhead ?? 0) * 100).toFixed(1)} % (goal <= 5 %)  errors=${c.throughputErrors}\n`
    if (c.meterNsPerCall != null) s += `${'meter cost'.padEnd(34)} ${c.meterNsPerCall.toFixed(0)} ns a call, ${((c.meteringCpuShare ?? 0) * 100).toFixed(2)} % of a lookup's CPU time\n`
  }
  if (r.ratios != null) {
    s += `${'perHop / libp2p stream rtt'.padEnd(34)} ${r.ratios.perHopOverStream.toFixed(2)}   medians both sides (goal <= 2.0: ${r.ratios.perHopOverStream <= 2 ? 'met' : 'NOT met'})\n`
    s += `${'  same, maintenance paused'.padEnd(34)} ${r.ratios.perHopQuietOverStream.toFixed(2)}   medians both sides\n`
    s += `${'libp2p stream rtt / TCP rtt'.padEnd(34)} ${r.ratios.streamOverTcp.toFixed(2)}   medians both sides\n`
  }
  const v = r.vsKad
  if (v != null) {
    const pair = (name: string, x?: PairsResult): string => x == null ? `${name.padEnd(34)} (not measured)\n`
      : `${name.padEnd(34)} get p50 ${x.get.p50Ms.toFixed(2)} ms p99 ${x.get.p99Ms.toFixed(2)} ms   put p50 ${x.put.p50Ms.toFixed(2)} ms p99 ${x.put.p99Ms.toFixed(2)} ms   n=${x.get.n} failed=${x.failed} wrong=${x.wrong}\n`
    s += pair(`chordmeter, ${v.peers} peers`, v.chord)
    s += pair(`kad-dht, ${v.peers} peers`, v.kad)
    if (v.kadFill != null) s += `${'kad-dht routing tables'.padEnd(34)} ${v.kadFill.filled ? 'filled' : 'NOT filled'} (every table >= ${v.kadFill.wanted} peers; smallest ${v.kadFill.smallest}) after ${(v.kadFill.ms / 1000).toFixed(1)} s\n`
    if (v.getP50Ratio != null) s += `${'kad-dht get p50 / chordmeter'.padEnd(34)} ${v.getP50Ratio.toFixed(1)}x   (goal >= 100x: ${v.getP50Ratio >= 100 ? 'met' : 'NOT met'})\n`
  }
  if (r.incomplete != null) s += `INCOMPLETE: ${r.incomplete}\n`
  process.stdout.write(s)
}

async function main (): Promise<number> {
  const o = new Command('bench').description('loopback latency benchmark: TCP, libp2p stream, Chord hop')
    .addOption(new Option('--out <file>', 'JSON report').default('reports/bench.json'))
    .addOption(new Option('--peers <n>', 'peers in the swarm').default('32'))
    .addOption(new Option('--lookups <n>', 'sequential round trips / lookups per measurement').default('2000'))
    .addOption(new Option('--seconds <s>', 'throughput run length, meters on and off together').default('24'))
    .addOption(new Option('--timeout-s <s>', 'give up (exit 1) after this long').default('300'))
    .addOption(new Option('--vs-kad', 'then the same put+get pairs on @libp2p/kad-dht (as many peers), one system after the other'))
    .addOption(new Option('--pairs <n>', 'sequential put+get pairs through random peers, each system (--vs-kad)').default('200'))
    .parse().opts()
  const peers = Number(o.peers)
  const n = Number(o.lookups)
  const seconds = Number(o.seconds)
  const pairs = Number(o.pairs)
  if (o.vsKad === true && o.timeoutS === '300') o.timeoutS = '900' // kad-dht's fill alone took minutes on a loaded machine
  if (![peers, n, seconds, Number(o.timeoutS), pairs].every(x => Number.isInteger(x) && x >= 1)) { process.stderr.write('bench: --peers, --lookups, --seconds, --timeout-s and --pairs take integers >= 1\n'); return 2 }
  const warm = Math.max(50, Math.floor(n / 10))
  const report: Report = { node: process.version, date: new Date().toISOString() }
  const cleanup: Array<() => Promise<void>> = []
  let net: Testnet | undefined
  let finishing: Promise<number> | undefined
  const finish = async (code: number): Promise<number> => await (finishing ??= (async () => {
    const stopAll = Promise.allSettled([net?.stop(), ...cleanup.map(async f => await f())])
    await Promise.race([stopAll, new Promise(resolve => setTimeout(resolve, 15_000).unref())])
    printTable(report)
    mkdirSync(dirname(o.out), { recursive: true })
    writeFileSync(o.out, JSON.stringify(report, null, 2) + '\n')
    process.stdout.write(`wrote ${o.out}\n`)
    return code
  })())
  const overall = setTimeout(() => {
    timedOut = true
    report.incomplete = `overall timeout of ${o.timeoutS} s`
    void finish(1).then(code => process.exit(code), () => process.exit(1))
  }, Number(o.timeoutS) * 1000)

  report.rawTcp = await rawTcp(warm, n, cleanup)
  const pair = await echoPair(cleanup)
  report.libp2pStream = summarize(await timeRoundTrips(pair.rt, warm, n))

  const t0 = performance.now()
  net = await createTestnet({ peers, procs: 0, peerConfig: { stabilizeMs: 1000, fixFingersMs: 250, checkPredecessorMs: 1000 } })
  const ideal = await net.waitIdeal({ timeoutMs: 60_000, fingers: true })
  const convergeMs = performance.now() - t0
  const live = net.live()
  const cpu0 = process.cpuUsage()
  await new Promise(resolve => setTimeout(resolve, 2000))
  const cpu1 = process.cpuUsage(cpu0)
  const idleCpuPct = (cpu1.user + cpu1.system) / 2e6 * 100
  const pick = (): typeof live[number] => live[Math.floor(Math.random() * live.length)]
  // Warm up: the client's stream to every peer, and the peers' streams to their fingers.
  for (const p of live) await net.client.lookup(p.target, { key: randomBytes(16) })
  for (let i = 0; i < warm; i++) await net.client.lookup(pick().target, { key: randomBytes(16) })

  const results: ClientResult[] = []
  let errors = 0
  for (let i = 0; i < n && !timedOut; i++) {
    try { results.push(await net.client.lookup(pick().target, { key: randomBytes(16) })) } catch { errors++ }
  }
  const us = results.map(r => r.lookupUs)
  const hops = results.map(r => r.hops)
  const multi = results.filter(r => r.hops >= 1)
  const perHopUs = multi.reduce((s, r) => s + r.lookupUs, 0) / multi.reduce((s, r) => s + r.hops, 0)
  const medianPerHop = (rs: ClientResult[]): number => percentile(rs.filter(r => r.hops >= 1).map(r => r.lookupUs / r.hops), 50)
  const [interceptUs, slope] = fit(hops, us)
  const histogram: Record<string, number> = {}
  for (const h of hops) histogram[h] = (histogram[h] ?? 0) + 1
  const groups = Object.keys(histogram).map(Number).filter(h => histogram[h] >= 20)
  const [, medianSlope] = fit(groups, groups.map(h => percentile(results.filter(r => r.hops === h).map(r => r.lookupUs), 50)))
  report.chord = {
    peers: live.length,
    fingersIdeal: ideal.fingersIdeal,
    convergeMs: Math.round(convergeMs),
    lookups: results.length,
    errors,
    hopsMean: round(mean(hops), 3),
    hopsHistogram: histogram,
    lookupUs: { mean: round(mean(us), 1), p50: round(percentile(us, 50), 1), p99: round(percentile(us, 99), 1) },
    perHopUs: round(perHopUs, 1),
    perHopUsSlope: round(slope, 1),
    interceptUs: round(interceptUs, 1),
    perHopUsMedianSlope: round(medianSlope, 1),
    perHopUsMedian: round(medianPerHop(results), 1),
    idleCpuPct: round(idleCpuPct, 1)
  }
  // The same lookups with every peer's maintenance paused: the bare stream's round trips had
  // no 32 peers' timers sharing the event loop, so this is the like-for-like per-hop figure.
  for (const p of net.peers) await p.local?.pauseMaintenance(true)
  const quiet: ClientResult[] = []
  for (let i = 0; i < n && !timedOut; i++) {
    try { quiet.push(await net.client.lookup(pick().target, { key: randomBytes(16) })) } catch { errors++ }
  }
  for (const p of net.peers) await p.local?.pauseMaintenance(false)
  const quietMulti = quiet.filter(r => r.hops >= 1)
  report.chord.perHopUsQuiet = round(quietMulti.reduce((s, r) => s + r.lookupUs, 0) / quietMulti.reduce((s, r) => s + r.hops, 0), 1)
  report.chord.perHopUsMedianQuiet = round(medianPerHop(quiet), 1)
  // Like with like: medians on both sides (a mean on one side carries the other's tail).
  report.ratios = {
    perHopQuietOverStream: round(report.chord.perHopUsMedianQuiet / report.libp2pStream.p50Us, 3),
    perHopOverStream: round(report.chord.perHopUsMedian / report.libp2pStream.p50Us, 3),
    streamOverTcp: round(report.libp2pStream.p50Us / report.rawTcp.p50Us, 3)
  }
  // The baseline again, now with the swarm's maintenance sharing the event loop.
  report.libp2pStreamDuringSwarm = summarize(await timeRoundTrips(pair.rt, warm, n))

  // Throughput, meters on and off in ABBA order so drift in the machine's load cancels out.
  let tputErrors = 0
  const tput = async (metersOn: boolean, secs: number): Promise<{ done: number, ms: number }> => {
    for (const p of net!.peers) if (p.local != null) p.local.meters.enabled = metersOn
    let done = 0
    const end = performance.now() + secs * 1000
    const tStart = performance.now()
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (performance.now() < end && !timedOut) {
        try { await net!.client.lookup(pick().target, { key: randomBytes(16) }); done++ } catch { tputErrors++ }
      }
    }))
    return { done, ms: performance.now() - tStart }
  }
  const on = { done: 0, ms: 0 }
  const off = { done: 0, ms: 0 }
  // One-second segments in ABBA order, many of them: drift in the machine's load hits both
  // sides alike (one segment's rate swings by +-25 % here, so a few segments prove nothing).
  const order = Array.from({ length: Math.max(4, Math.round(seconds)) }, (_, i) => i % 4 === 0 || i % 4 === 3)
  for (const metersOn of order) {
    const r = await tput(metersOn, seconds / order.length)
    const acc = metersOn ? on : off
    acc.done += r.done
    acc.ms += r.ms
  }
  for (const p of net.peers) if (p.local != null) p.local.meters.enabled = true
  report.chord.lookupsPerSec = round(on.done / (on.ms / 1000), 1)
  report.chord.lookupsPerSecMetersOff = round(off.done / (off.ms / 1000), 1)
  report.chord.meteringOverhead = round(1 - report.chord.lookupsPerSec / report.chord.lookupsPerSecMetersOff, 4)
  report.chord.throughputErrors = tputErrors
  // The same question asked without the machine's noise: what one meter call costs, times
  // the calls one lookup makes (one per request served and one per request sent, plus the lookup itself).
  const meters = new CostMeters()
  const ids = Array.from({ length: 64 }, (_, i) => `peer-${i}`)
  const calls = 400_000
  const m0 = performance.now()
  for (let i = 0; i < calls; i++) meters.recordServed({ tag: 'forwarding', peerId: ids[i & 63], bytesIn: 120, bytesOut: 240, micros: 300, failed: false })
  const nsPerCall = (performance.now() - m0) * 1e6 / calls
  const callsPerLookup = 2 * (report.chord.hopsMean + 1) + 1
  report.chord.meterNsPerCall = round(nsPerCall, 1)
  // Share of the CPU time a lookup takes at the measured throughput (the process uses about one core).
  report.chord.meteringCpuShare = round(callsPerLookup * nsPerCall / (1e9 / report.chord.lookupsPerSecMetersOff), 5)

  if (o.vsKad === true) await vsKad(net, { pairs, stopped: () => timedOut }, report)
  clearTimeout(overall)
  return await finish(0)
}

/** Value size of the put+get pairs, bytes. */
const PAIR_VALUE_BYTES = 100

/**
 * The same put+get pairs on chordmeter's swarm, then (that swarm stopped, so the two never
 * share the machine) on as many kad-dht peers in this process; fills report.vsKad as it goes.
 */
async function vsKad (net: Testnet, opts: { pairs: number, stopped: () => boolean }, report: Report): Promise<void> {
  const live = net.live()
  const chord = await putGetPairs({
    peers: live.length,
    put: async (via, key, value) => { await net.client.put(live[via].target, key, value) },
    get: async (via, key, value) => {
      const r = await net.client.get(live[via].target, key)
      return r.found && Buffer.compare(r.value, value) === 0
    }
  }, { pairs: opts.pairs, valueBytes: PAIR_VALUE_BYTES, stopped: opts.stopped })
  const v: NonNullable<Report['vsKad']> = report.vsKad = { peers: live.length, pairs: opts.pairs, chord }
  await net.stop()
  const kad = await KadSwarm.create({ peers: live.length, hostOffset: net.peers.length + 16, opTimeoutMs: 30_000 })
  try {
    v.kadFill = await kad.fill({ timeoutMs: 180_000 })
    v.kad = await putGetPairs(kad, { pairs: opts.pairs, valueBytes: PAIR_VALUE_BYTES, stopped: opts.stopped })
    v.getP50Ratio = round(v.kad.get.p50Ms / chord.get.p50Ms, 1)
  } finally {
    await kad.stop()
  }
}

let timedOut = false
main().then(code => process.exit(code), err => {
  if (timedOut) return // the overall timeout reports and exits
  process.stderr.write(`bench: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exit(1)
})
