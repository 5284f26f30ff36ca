#!/usr/bin/env node
// npm run maintenance: what ring maintenance costs an idle peer and how fast the ring is ideal
// again after a kill, a join and a leave, adaptive against fixed, same ring size and periods
// (docs/cost-model.md "Adaptive maintenance" prints its table from this command).
import '../daemon/host/quietWarnings.js'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { Command, Option } from 'commander'
import { addTableFlags, givenFlags } from '../daemon/host/commandLine.js'
import { ConfigError, inputFrom, resolveConfig, type PeerConfigInput } from '../daemon/host/config.js'
import type { OptionDefaults, OptionKey } from '../daemon/host/options.js'
import { EVENTS, runTrial, trialBounds, type MaintenanceMode, type TrialResult } from './lib/maintenanceTrial.js'
import { round } from './lib/stats.js'

const PEER_OPTIONS: readonly OptionKey[] = ['successors', 'stabilizeMs', 'stabilizeMaxMs', 'fixFingersMs', 'fixFingersMaxMs', 'checkPredecessorMs', 'repairMs', 'repairMaxMs', 'rpcTimeoutMs', 'replicas']
/** The swarm's periods (tools/swarm.ts), so a run takes minutes, not the daemon's 20 s bounds times many rounds. */
const PEER_DEFAULTS: OptionDefaults = { stabilizeMs: 500, fixFingersMs: 500, repairMs: 1000 }

const program = new Command('maintenance')
  .description('idle maintenance cost per peer and time to an ideal ring after a kill, a join and a leave: adaptive against fixed')
  .addOption(new Option('--peers <n>', 'ring size').default('16'))
  .addOption(new Option('--modes <list>', 'modes to run, in order').default('fixed,adaptive'))
  .addOption(new Option('--settle-s <s>', 'quiet time after the ring is ideal, before the idle window (adaptive periods stretch meanwhile)').default('60'))
  .addOption(new Option('--window-s <s>', 'idle window the meters are read over').default('20'))
  .addOption(new Option('--converge-timeout-ms <ms>', 'give up waiting for an ideal ring after this long').default('120000'))
  .addOption(new Option('--report <file>', 'write the JSON report here').default('reports/maintenance.json'))
addTableFlags(program, { keys: PEER_OPTIONS, env: false, defaults: PEER_DEFAULTS })

function num (name: string, v: string, min: number): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n < min) { process.stderr.write(`maintenance: --${name} must be a number >= ${min}, got ${v}\n`); process.exit(2) }
  return n
}

function table (rows: readonly TrialResult[]): string {
  const head = '| mode | peers | stabilize period at idle | maintenance B/s per peer | maintenance req/s per peer | all B/s per peer | ideal after kill (bound) | join (bound) | leave (bound) |'
  const fmt = (ms: number | null, bound: number): string => `${ms == null ? 'not ideal' : `${round(ms / 1000, 1)} s`} (${round(bound / 1000, 1)} s)`
  const lines = rows.map(r => `| ${r.mode} | ${r.peers} | ${round(r.idle.stabilizePeriodMs)} ms | ${round(r.idle.maintenanceBytesPerPeerPerSec, 1)} | ${round(r.idle.maintenanceRequestsPerPeerPerSec, 2)} | ${round(r.idle.allBytesPerPeerPerSec, 1)} | ` +
    EVENTS.map(e => fmt(r.idealAfterMs[e], r.boundMs[e])).join(' | ') + ' |')
  return [head, '|---|---|---|---|---|---|---|---|---|', ...lines].join('\n')
}

async function main (): Promise<number> {
  program.parse()
  const o = program.opts()
  const modes = String(o.modes).split(',') as MaintenanceMode[]
  if (modes.some(m => m !== 'fixed' && m !== 'adaptive')) { process.stderr.write(`maintenance: --modes takes fixed and/or adaptive, got ${String(o.modes)}\n`); return 2 }
  let peerConfig: PeerConfigInput
  try {
    peerConfig = { ...inputFrom({ flags: givenFlags(program), defaults: PEER_DEFAULTS }), choking: { enabled: false } }
    for (const m of modes) resolveConfig({ ...peerConfig, maintenance: m })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`maintenance: ${err.message}\n`)
    return 2
  }
  const rows: TrialResult[] = []
  for (const mode of modes) {
    const b = trialBounds(peerConfig, mode)
    process.stderr.write(`maintenance: ${mode}, ${String(o.peers)} peers, stabilize ${b.stabilize.baseMs}..${b.stabilize.maxMs} ms, fix-fingers ${b.fixFingers.baseMs}..${b.fixFingers.maxMs} ms, repair ${b.repair.baseMs}..${b.repair.maxMs} ms\n`)
    rows.push(await runTrial({
      peers: num('peers', o.peers, 3),
      mode,
      peerConfig,
      settleMs: num('settle-s', o.settleS, 0) * 1000,
      windowMs: num('window-s', o.windowS, 1) * 1000,
      convergeTimeoutMs: num('converge-timeout-ms', o.convergeTimeoutMs, 1000),
      progress: line => { process.stderr.write(`maintenance: ${line}\n`) }
    }))
  }
  process.stdout.write(`${table(rows)}\n`)
  mkdirSync(dirname(o.report), { recursive: true })
  writeFileSync(o.report, JSON.stringify({ peerConfig, rows }, null, 2))
  process.stdout.write(`report: ${String(o.report)}\n`)
  const missed = rows.some(r => EVENTS.some(e => r.idealAfterMs[e] == null))
  return missed ? 1 : 0
}

main().then(code => { process.exitCode = code }, err => { process.stderr.write(`maintenance: ${(err as Error).stack ?? String(err)}\n`); process.exitCode = 1 })
