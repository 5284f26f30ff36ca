#!/usr/bin/env node
// npm run swarm: start N peers on loopback, wait for an ideal ring, put K keys through
// random peers, read them all back through others, report, and stop every peer.
import '../daemon/host/quietWarnings.js'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Command, Option } from 'commander'
import { defaultProcs } from './lib/packing.js'
import { PACE_MAX_WAIT_MS, START_TIMEOUT_MS, createTestnet, type Testnet } from './testnet.js'
import { collect } from './lib/collect.js'
import { formatSummary } from './lib/report.js'
import { replicaCounts, type Member } from './lib/replicaCount.js'
import { runChurn, type ChurnEvent } from './lib/churn.js'
import { runWorkload } from './lib/workload.js'
import { parseDistribution, runRatedWorkload, type RatedWorkloadResult } from './lib/ratedWorkload.js'
import { mean, percentile, round } from './lib/stats.js'
import { addTableFlags, givenFlags } from '../daemon/host/commandLine.js'
import { ConfigError, inputFrom, resolveConfig, type PeerConfig, type PeerConfigInput } from '../daemon/host/config.js'
import type { OptionDefaults, OptionKey } from '../daemon/host/options.js'
import { cpuTimes, formatMachineLoad, formatResources, machineLoad, peerResources, type MachineLoad, type PeerResources } from './lib/machineLoad.js'
import { ProgressLine } from './lib/progress.js'
import { formatChoking, freeriderIndexes, runChokingExperiment, sumCounters, towardClasses, type ChokingExperimentResult } from './lib/chokingExperiment.js'

/** chordd's settings the swarm gives every peer, flags as chordd's (daemon/host/options.ts). */
const PEER_OPTIONS: readonly OptionKey[] = [
  'successors', 'maintenance', 'stabilizeMs', 'stabilizeMaxMs', 'fixFingersMs', 'fixFingersMaxMs', 'checkPredecessorMs', 'replicas', 'writeQuorum', 'repairMs', 'repairMaxMs',
  'choking.enabled', 'choking.capacity', 'choking.rechokeMs', 'choking.unchokeSlots', 'choking.optimisticSlots', 'choking.optimisticEvery', 'choking.windowMs'
]
/** Faster maintenance than a daemon's defaults: a local swarm converges and repairs within a run. */
const PEER_DEFAULTS: OptionDefaults = { stabilizeMs: 500, fixFingersMs: 500, repairMs: 1000 }

const program = new Command('swarm')
  .description('start a local swarm, measure it, stop it; the options from --successors on are chordd\'s, given to every peer')
  .addOption(new Option('--peers <n>', 'peers to start').default('16'))
  .addOption(new Option('--procs <p>', 'OS processes to spread peers over (default: one per 128 peers, from 1 to 8)'))
  .addOption(new Option('--keys <k>', 'keys to put and read back').default('1000'))
  .addOption(new Option('--concurrency <c>', 'client operations in flight').default('32'))
  .addOption(new Option('--route-candidates <which>', 'route over fingers only, or fingers + successor list').choices(['fingers', 'all']).default('all'))
  .addOption(new Option('--iterative', 'iterative lookups instead of recursive'))
  .addOption(new Option('--converge-timeout-ms <ms>', 'give up waiting for an ideal ring after this long').default('120000'))
  .addOption(new Option('--seed <n>', 'workload seed').default('1'))
  .addOption(new Option('--churn [fraction]', 'kill, restart, join and leave this fraction of the peers during the puts').preset('0.25'))
  .addOption(new Option('--churn-interval-ms <ms>', 'time between churn events').default('1500'))
  .addOption(new Option('--duration <s>', 'after the put/get check, run an open-loop workload for this long (same options as npm run sweep)'))
  .addOption(new Option('--workload <dist>', 'key popularity of that workload: uniform or zipf:<s>').default('uniform'))
  .addOption(new Option('--rate <ops>', 'operations per second of that workload, whole swarm').default('100'))
  .addOption(new Option('--read-ratio <r>', 'share of reads in that workload').default('0.5'))
  .addOption(new Option('--freeriders <f>', 'choking experiment (docs/choking.md): this many peers free-ride; each peer issues --rate/peers ops/s for --duration s'))
  .addOption(new Option('--warmup <s>', 'choking experiment: okPerSec counts after this (default: 3 rechoke rounds)'))
  .addOption(new Option('--quiet-s <s>', 'seconds of quiet after the ring is ideal over which CPU and RSS per peer are measured (report resources); 0: skip').default('5'))
  .addOption(new Option('--settle-s <s>', 'seconds to wait after the ring is ideal before that quiet window: adaptive maintenance takes ~100 s to stretch its periods to their bounds').default('0'))
  .addOption(new Option('--report <file>', 'write the JSON report here').default('reports/swarm.json'))
addTableFlags(program, { keys: PEER_OPTIONS, env: false, defaults: PEER_DEFAULTS })

function int (name: string, v: string, min: number): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < min) { process.stderr.write(`swarm: --${name} must be an integer >= ${min}, got ${v}\n`); process.exit(2) }
  return n
}

async function main (): Promise<number> {
  program.parse()
  const o = program.opts()
  const peers = int('peers', o.peers, 1)
  const procs = o.procs == null ? defaultProcs(peers) : int('procs', o.procs, 0)
  const keys = int('keys', o.keys, 0)
  const fingersOnly = o.routeCandidates === 'fingers'
  const quietS = Number(o.quietS)
  if (!(quietS >= 0)) { process.stderr.write('swarm: --quiet-s takes seconds >= 0\n'); return 2 }
  const settleS = Number(o.settleS)
  if (!(settleS >= 0)) { process.stderr.write('swarm: --settle-s takes seconds >= 0\n'); return 2 }
  const freeriders = freeriderIndexes(peers, o.freeriders == null ? 0 : int('freeriders', o.freeriders, 0))
  let peerConfig: PeerConfigInput
  let peer: PeerConfig
  try {
    peerConfig = inputFrom({ flags: givenFlags(program), defaults: PEER_DEFAULTS })
    peer = resolveConfig(peerConfig) // what every peer will run with, checked before any starts
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`swarm: ${err.message}\n`)
    return 2
  }
  const { behavior: _contributor, ...choking } = peer.choking
  const rechokeMs = choking.rechokeMs
  const replicas = peer.replicas
  const workDir = mkdtempSync(join(tmpdir(), 'chordmeter-swarm-'))
  const workerLog = join(workDir, 'workers.log')

  let net: Testnet | undefined
  let keepLogs = false
  let interrupted = false
  const onSignal = (): void => {
    if (interrupted) process.exit(130)
    interrupted = true
    process.stderr.write('\nswarm: interrupted, stopping every peer...\n')
    void (net?.stop() ?? Promise.resolve()).finally(() => process.exit(130))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  const t0 = performance.now()
  process.stdout.write(`chordmeter swarm: starting ${peers} peers in ${procs} process(es)...\n`)
  const progress = new ProgressLine({ label: 'swarm' }, { phase: 'starting', peersStarted: 0, peersTotal: peers })
  // Join waves wait while an event loop lags past half the saturation limit (tools/lib/joinPacing.ts).
  let pacedMs = 0
  net = await createTestnet({
    startTimeoutMs: START_TIMEOUT_MS,
    paceMaxWaitMs: PACE_MAX_WAIT_MS,
    onPeerStarted: started => { progress.update({ peersStarted: started }) },
    onPaced: p => { pacedMs += p.waitedMs; progress.update({ phase: `starting (joins paced ${Math.round(pacedMs / 1000)} s for lagging event loops${p.gaveUp ? `, still p99 ${Math.round(p.worstP99Ms)} ms` : ''})` }) },
    peers,
    procs,
    workerLog,
    dataRoot: join(workDir, 'data'),
    peerConfig,
    configFor: i => freeriders.has(i) ? { choking: { ...peerConfig.choking, behavior: 'freerider' } } : {},
    joinWave: 8
  }).catch(err => {
    // A start that failed (a peer that never joined) is a failed run, said in one line; its logs are kept.
    progress.stop()
    process.stdout.write(`FAIL: ${(err as Error).message}, ${progress.state.peersStarted ?? 0} of ${peers} started after ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      `${pacedMs > 0 ? ` (${(pacedMs / 1000).toFixed(1)} s of joins paced for lagging event loops)` : ''}\nworker logs kept in ${workerLog}\n`)
    return undefined
  })
  if (net == null) return 1
  const startedMs = performance.now() - t0
  try {
    const timeoutMs = int('converge-timeout-ms', o.convergeTimeoutMs, 1)
    const onCheck = (c: { right: number, members: number, ideal: boolean }): void => { progress.update({ ring: { right: c.right, total: c.members, ideal: c.ideal } }) }
    progress.update({ phase: 'converging' })
    const ring = await net.waitIdeal({ timeoutMs, onCheck })
    const convergenceMs = startedMs + ring.waitedMs
    progress.update({ phase: 'fingers' })
    const fingers = ring.ideal ? await net.waitIdeal({ timeoutMs: Math.max(1_000, timeoutMs - ring.waitedMs), fingers: true, onCheck }) : { ...ring, waitedMs: 0 }
    progress.above(() => process.stdout.write(`ring      ${ring.ideal ? 'ideal' : 'NOT ideal'} ${(convergenceMs / 1000).toFixed(1)} s after start` +
      (ring.ideal ? `; fingers ${fingers.fingersIdeal ? 'ideal' : `${fingers.wrongFingers} wrong`} ${((convergenceMs + fingers.waitedMs) / 1000).toFixed(1)} s after start` : '') +
      ` (every peer started ${(startedMs / 1000).toFixed(1)} s after start${pacedMs > 0 ? `, ${(pacedMs / 1000).toFixed(1)} s of it joins paced for lagging event loops` : ''})\n`))
    if (!ring.ideal) for (const p of ring.problems) process.stdout.write(`          ${p}\n`)
    // Idle cost per peer: no ring checks, no client operations, the peers' own timers only.
    let resources: PeerResources | null = null
    if (ring.ideal && quietS > 0) {
      if (settleS > 0) {
        progress.update({ phase: `settle ${settleS} s` })
        await new Promise(resolve => setTimeout(resolve, settleS * 1000))
      }
      progress.update({ phase: `quiet ${quietS} s` })
      await net.markLoad()
      const before = cpuTimes()
      await new Promise(resolve => setTimeout(resolve, quietS * 1000))
      resources = peerResources(machineLoad({
        window: `quiet window of ${quietS} s, ${settleS} s after the ring${fingers.fingersIdeal ? ' and fingers' : ''} were ideal, before the workload`,
        processes: await net.markLoad(),
        machine: { before, after: cpuTimes() },
        pastDeadline: 0,
        ops: 0,
        rpcTimeoutMs: peer.rpcTimeoutMs
      }))
    }
    // The machine's own load over what is measured next: the workloads.
    await net.markLoad()
    const machineBefore = cpuTimes()
    progress.update({ phase: 'puts and gets', acked: { done: 0, total: keys, what: 'puts acked' } })

    const churnEvents: ChurnEvent[] = []
    const churnFraction = o.churn == null ? 0 : Number(o.churn)
    if (!(churnFraction >= 0 && churnFraction <= 1)) { process.stderr.write('swarm: --churn takes a fraction in [0, 1]\n'); return 2 }
    const churn = async (): Promise<void> => {
      if (churnFraction === 0) return
      await runChurn(net!, Math.max(4, Math.round(churnFraction * peers)), int('churn-interval-ms', o.churnIntervalMs, 10), churnEvents)
    }
    // Free-riders serve nobody, the operator's client included: the check goes through contributors.
    const contributors = (): Testnet['peers'] => net!.live().filter(p => !freeriders.has(p.index))
    let putsAcked = 0
    const w = await runWorkload(net.client, () => contributors().map(p => p.target), {
      keys, concurrency: int('concurrency', o.concurrency, 1), seed: int('seed', o.seed, 0), op: { iterative: o.iterative === true, fingersOnly }, duringPuts: churn,
      onDone: (what, done) => {
        if (what === 'puts acked') putsAcked = done
        progress.update({ acked: { done, total: what === 'puts acked' ? keys : putsAcked, what } })
      }
    })
    let rated: RatedWorkloadResult | undefined
    let chokingResult: ChokingExperimentResult | undefined
    if (o.duration != null) progress.update({ phase: `open loop ${o.duration} s`, acked: { done: 0, what: 'ops ok' } })
    if (o.duration != null && o.freeriders != null) {
      chokingResult = await runChokingExperiment(net.client, net.live().map(p => ({ target: p.target, freerider: freeriders.has(p.index) })), {
        ratePerPeer: Number(o.rate) / peers, durationS: Number(o.duration), warmupS: o.warmup == null ? 3 * rechokeMs / 1000 : Number(o.warmup),
        readRatio: Number(o.readRatio), keySpace: keys || 1000, seed: int('seed', o.seed, 0) + 2, timeoutMs: 8_000, maxInFlight: 1024
      })
    } else if (o.duration != null) {
      rated = await runRatedWorkload(net.client, () => net!.live().map(p => p.target), {
        rate: Number(o.rate), durationS: Number(o.duration), readRatio: Number(o.readRatio), keySpace: keys || 1000,
        distribution: parseDistribution(o.workload), seed: int('seed', o.seed, 0) + 1, op: { iterative: o.iterative === true, fingersOnly },
        onOk: done => { progress.update({ acked: { done, what: 'ops ok' } }) }
      })
    }
    const machine: MachineLoad = machineLoad({
      window: `the put/get check${o.duration == null ? '' : ` and the ${o.duration} s ${o.freeriders != null ? 'choking experiment' : 'open-loop workload'}`}`,
      processes: await net.markLoad(),
      machine: { before: machineBefore, after: cpuTimes() },
      pastDeadline: w.pastDeadline + (rated?.pastDeadline ?? 0),
      ops: w.attempts + (rated == null ? 0 : rated.issued - rated.dropped),
      rpcTimeoutMs: peer.rpcTimeoutMs
    })
    progress.update({ phase: 'checking replicas', acked: undefined })
    const samples = [...w.samples, ...(rated?.samples ?? [])]
    const hops = samples.map(s => s.hops)
    const lat = samples.map(s => s.lookupUs / 1000)
    const lost = w.lost + (rated?.lost ?? 0)
    // A loaded swarm may answer a state query late: give the check a few polls, not a full convergence wait.
    const after = await net.waitIdeal({ timeoutMs: churnFraction > 0 ? timeoutMs : 20_000 })
    const restoreStart = churnEvents.length > 0 ? churnEvents[churnEvents.length - 1].at : performance.now()
    const members = (): Member[] => net!.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId, target: p.target }))
    // The choking experiment does not count copies: free-riders refuse REPLICA_GET, and past
    // --capacity contributors choke the operator's client (it gives them nothing).
    let counts = chokingResult != null ? [] : await replicaCounts(net.client, members(), w.acked, replicas)
    while (counts.some(c => c < Math.min(replicas, net.live().length)) && performance.now() - restoreStart < timeoutMs) {
      await new Promise(resolve => setTimeout(resolve, 500))
      counts = await replicaCounts(net.client, members(), w.acked, replicas)
    }
    const want = Math.min(replicas, net.live().length)
    const belowR = counts.filter(c => c < want).length
    // What it cost each peer, collected the way `chordctl collect` does, beside the model.
    const costDir = join(dirname(o.report), 'swarm-costs')
    const collected = await collect(net.client, net.live()[0].target, { windowS: 1, outDir: costDir, routeCandidates: fingersOnly ? 'fingers' : 'all' })
    const chokingStats = chokingResult == null ? [] : await Promise.all(net.live().map(async p => ({ freerider: freeriders.has(p.index), s: await net!.client.stats(p.target).catch(() => undefined) })))
    const countersOf = (free: boolean): Record<string, number> => sumCounters(chokingStats.filter(x => x.freerider === free).map(x => x.s?.choking?.counters as Record<string, number> | undefined))
    const report = {
      peers,
      procs,
      // Measured on a saturated machine (rule: tools/lib/machineLoad.ts): latency and costs are the machine's, not Chord's.
      saturated: machine.saturated,
      machine,
      resources,
      routeCandidates: fingersOnly ? 'fingers' : 'all',
      lookupMode: o.iterative === true ? 'iterative' : 'recursive',
      ring: {
        ideal: ring.ideal,
        convergenceMs: round(convergenceMs, 0),
        startMs: round(startedMs, 0),
        /** Of startMs, how long join waves waited for lagging event loops. */
        joinsPacedMs: round(pacedMs, 0),
        fingersIdeal: fingers.fingersIdeal,
        fingersConvergenceMs: round(convergenceMs + fingers.waitedMs, 0),
        idealAfterWorkload: after.ideal,
        problemsAfterWorkload: after.problems,
        problems: ring.problems
      },
      workload: {
        keys,
        putsAcked: w.putsAcked,
        putsFailed: w.putsFailed,
        getsOk: w.getsOk,
        getsMissing: w.getsMissing,
        getsWrong: w.getsWrong,
        getsFailed: w.getsFailed,
        lost,
        putsPerSec: round(w.putsAcked / (w.putMs / 1000), 1),
        getsPerSec: round(w.getsOk / (w.getMs / 1000), 1),
        errors: w.errors
      },
      costs: {
        perPeer: collected.peers.map(p => ({ peerId: p.peerId, ringId: p.ringId, position: p.position, costs: p.costs, served: p.served, sent: p.sent, routingState: p.routingState, keys: p.keys, lookups: p.lookups })),
        totals: collected.totals,
        distribution: collected.distribution,
        model: collected.model,
        files: collected.files.map(f => join(costDir, f))
      },
      choking: {
        config: choking,
        freeriderPeers: freeriders.size,
        ratePerPeer: Number(o.rate) / peers,
        contributors: chokingResult?.contributors ?? null,
        freeriders: chokingResult?.freeriders ?? null,
        warmupS: chokingResult?.options.warmupS ?? null,
        // Summed over each class's peers (GET_STATS choking.counters).
        counters: chokingResult == null ? null : { contributors: countersOf(false), freeriders: countersOf(true) },
        // What the contributors did for each class over the last window (their GET_STATS choking.remotes).
        contributorsToward: chokingResult == null ? null : towardClasses(chokingStats, id => net!.peers.some(p => p.info.peerId === id && freeriders.has(p.index)))
      },
      openLoop: rated == null ? null : { workload: o.workload, rate: Number(o.rate), readRatio: Number(o.readRatio), durationS: Number(o.duration), issued: rated.issued, ok: rated.ok, failed: rated.failed, dropped: rated.dropped, reads: rated.reads, writes: rated.writes, lost: rated.lost, errors: rated.errors },
      replication: {
        replicas,
        writeQuorum: peer.writeQuorum,
        keysChecked: counts.length,
        keysBelowR: belowR,
        // From the last churn event (or the end of the workload) until every acknowledged key had r copies.
        restoredMs: belowR === 0 ? round(Math.max(0, performance.now() - restoreStart), 0) : null,
        churn: churnEvents.map(e => ({ kind: e.kind, peer: e.peer, atMs: round(e.at - t0, 0) }))
      },
      lookups: {
        count: hops.length,
        // hops: forwards from the entry peer to the owner's predecessor; the final step to the owner is not counted.
        hops: { mean: round(mean(hops)), p50: percentile(hops, 50), p99: percentile(hops, 99), max: hops.length === 0 ? NaN : Math.max(...hops) },
        latencyMs: { mean: round(mean(lat)), p50: round(percentile(lat, 50)), p99: round(percentile(lat, 99)) }
      }
    }
    // Under choking a read may fail (CHOKED) without anything being lost: there only wrong or missing reads count.
    const lostOk = chokingResult != null ? w.getsMissing + w.getsWrong === 0 : lost === 0
    const ok = ring.ideal && after.ideal && lostOk && belowR === 0 && (churnFraction > 0 || chokingResult != null || w.putsFailed === 0)
    progress.stop()
    if (chokingResult != null) process.stdout.write(`choking   ${choking.enabled ? 'on' : 'off'}, capacity ${choking.capacity}/s, rechoke ${rechokeMs} ms; ${o.rate} ops/s over ${peers} peers for ${o.duration} s\n` + formatChoking(chokingResult).map(l => `          ${l}\n`).join(''))
    process.stdout.write(
      (rated == null ? '' : `open loop ${rated.ok}/${rated.issued} ops ok over ${(rated.elapsedMs / 1000).toFixed(1)} s (${o.workload}, ${o.rate}/s, read ratio ${o.readRatio}), ${rated.failed} failed, ${rated.dropped} dropped, ${rated.lost} lost\n`) +
      `workload  ${w.putsAcked}/${keys} puts acked, ${w.getsOk}/${w.putsAcked} read back intact, ${chokingResult != null ? `${w.getsFailed} refused or failed (not lost: the operator's client is choked like anyone), ${w.getsMissing + w.getsWrong} lost` : `${lost} lost`}` +
      `  (${report.workload.putsPerSec} puts/s, ${report.workload.getsPerSec} gets/s)\n` +
      `hops      mean ${report.lookups.hops.mean}  p50 ${report.lookups.hops.p50}  p99 ${report.lookups.hops.p99}  max ${report.lookups.hops.max}  (to the owner's predecessor; +1 for the owner)\n` +
      `latency   p50 ${report.lookups.latencyMs.p50} ms  p99 ${report.lookups.latencyMs.p99} ms  (lookup, measured at the entry peer)\n` +
      (chokingResult != null ? 'replicas  not counted in the choking experiment (the operator\'s client is choked like anyone)' : `replicas  ${counts.length - belowR}/${counts.length} keys with ${want} copies` + (belowR === 0 ? ` ${(report.replication.restoredMs! / 1000).toFixed(1)} s after the ${churnEvents.length > 0 ? 'last churn event' : 'workload'}` : '')) +
      (churnEvents.length > 0 ? `; churn: ${churnEvents.map(e => e.kind).join(', ')}` : '') + '\n')
    for (const e of w.errors) process.stdout.write(`error     ${e}\n`)
    process.stdout.write(`machine   ${formatMachineLoad(machine)}\n` +
      (resources == null ? '' : `resources ${formatResources(resources)}\n`) +
      (machine.saturated ? 'SATURATED machine: the latency and costs of this run are the machine\'s, not Chord\'s\n' : ''))
    process.stdout.write('\ncosts (C = S + R + M + A, unit prices 1; docs/cost-model.md)\n' + formatSummary(collected).join('\n') + '\n')
    mkdirSync(dirname(o.report), { recursive: true })
    writeFileSync(o.report, JSON.stringify(report, null, 2) + '\n')
    process.stdout.write(`report    ${o.report}\n${ok ? 'PASS' : 'FAIL'}: ${ok ? 'ideal ring, every acknowledged key read back' : 'see above'}\n`)
    if (!ok) { keepLogs = true; process.stdout.write(`worker logs kept in ${workerLog}\n`) }
    return ok ? 0 : 1
  } finally {
    progress.stop()
    await net.stop()
    if (!interrupted && process.exitCode !== 1 && keepLogs === false) rmSync(workDir, { recursive: true, force: true })
  }
}

main().then(code => process.exit(code), err => {
  process.stderr.write(`swarm: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
