// The machine's own load while a swarm or sweep measured: each process's event-loop delay
// (perf_hooks monitorEventLoopDelay) and CPU time (process.cpuUsage) over a window, the whole
// machine's busy share (os.cpus), what the peers cost per peer over a quiet window, and the
// one rule that calls a measurement saturated: then its latency and costs are the machine's,
// not Chord's. Pure functions except LoadMeter and cpuTimes, which read this process and the OS.
import { availableParallelism, cpus } from 'node:os'
import { monitorEventLoopDelay, type Histogram, type IntervalHistogram } from 'node:perf_hooks'

/** One process's load over one window (between two LoadMeter.mark calls). */
export interface ProcessLoad {
  pid: number
  /** Peers it hosted at the end of the window (0: the harness alone). */
  peers: number
  windowMs: number
  /** User + system CPU time over the window, ms. */
  cpuMs: number
  /** Resident set size at the end of the window, MB. */
  rssMb: number
  /** Event-loop delay over the window, ms. */
  loopDelayMs: LoopDelay
}

export interface LoopDelay { p50: number, p99: number, max: number }

/** p50, p99 and max of an event-loop delay histogram (nanoseconds), in ms. */
export function loopDelayOf (h: Histogram): LoopDelay {
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }
}

/** This process's load since the previous mark; a worker process keeps one for its peers. */
export class LoadMeter {
  // 50 ms, not node's default 10: the meter's own timer woke each process 100 times a second,
  // most of an idle 32-peer worker's wakeups (issue 13), and so was part of the CPU it reports.
  // The delays that matter here are 10 to 1000 ms; a stall of one sample period or longer is never missed.
  readonly #delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 50 })
  #cpu = process.cpuUsage()
  #at = performance.now()

  constructor () { this.#delay.enable() }

  /** Load since the previous mark (or since creation), and start the next window. */
  mark (peers: number): ProcessLoad {
    const now = performance.now()
    const cpu = process.cpuUsage(this.#cpu)
    const load: ProcessLoad = {
      pid: process.pid,
      peers,
      windowMs: Math.round(now - this.#at),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20 * 10) / 10,
      loopDelayMs: loopDelayOf(this.#delay)
    }
    this.#cpu = process.cpuUsage()
    this.#at = now
    this.#delay.reset()
    return load
  }

  stop (): void { this.#delay.disable() }
}

/** Busy and total CPU time of the whole machine since boot, ms (every process, ours or not). */
export function cpuTimes (): { busyMs: number, totalMs: number } {
  let busyMs = 0
  let totalMs = 0
  for (const c of cpus()) {
    const t = c.times
    busyMs += t.user + t.nice + t.sys + t.irq
    totalMs += t.user + t.nice + t.sys + t.irq + t.idle
  }
  return { busyMs, totalMs }
}

// A core is saturated well before 100%: past 90% runnable peers wait in the run queue for
// it, and their timers and answers come late by the machine, not by the protocol.
export const CPU_SATURATED_SHARE = 0.9
/**
 * Event-loop p99 above which deadline misses are the machine's: a recursive lookup takes about
 * ½ log2 N hops (Stoica et al.; 5 at N = 1024) and each hop waits on two event loops (sender's
 * and receiver's), so 10 loop turns delayed by rpcTimeoutMs / 10 add up to a whole RPC timeout.
 */
export const loopDelayLimitMs = (rpcTimeoutMs: number): number => rpcTimeoutMs / 10

export interface SaturationInput {
  /** CPU used by the swarm's processes, as a share of the cores available. */
  cpuShare: number
  /** The whole machine's busy share over the window (other users' processes included). */
  machineBusyShare: number
  /** The worst process's event-loop delay p99, ms. */
  loopP99Ms: number
  rpcTimeoutMs: number
}

/** Why a window counts as measured on a saturated machine; empty when it does not. */
export function saturationReasons (s: SaturationInput): string[] {
  const out: string[] = []
  const pct = (x: number): string => `${Math.round(x * 100)}%`
  if (s.cpuShare >= CPU_SATURATED_SHARE) out.push(`swarm CPU ${pct(s.cpuShare)} of the cores >= ${pct(CPU_SATURATED_SHARE)}`)
  if (s.machineBusyShare >= CPU_SATURATED_SHARE) out.push(`machine CPU busy ${pct(s.machineBusyShare)} >= ${pct(CPU_SATURATED_SHARE)}`)
  if (s.loopP99Ms > loopDelayLimitMs(s.rpcTimeoutMs)) out.push(`event-loop p99 ${s.loopP99Ms} ms > ${loopDelayLimitMs(s.rpcTimeoutMs)} ms (RPC timeout / 10)`)
  return out
}

export interface MachineLoad {
  /** Which part of the run this is. */
  window: string
  windowMs: number
  /** os.availableParallelism(). */
  cores: number
  /** CPU of the swarm's processes (peer workers and this harness) over the window, in cores. */
  cpuCores: number
  cpuShare: number
  machineBusyShare: number
  /** The worst process's event-loop delay p50 and p99, ms (each process's own are in `processes`). */
  loopDelayMs: { p50: number, p99: number }
  /** Client operations that ended past their deadline (TIMEOUT), out of `ops` attempted. */
  pastDeadline: number
  ops: number
  saturated: boolean
  reasons: string[]
  processes: ProcessLoad[]
}

export interface MachineLoadInput {
  window: string
  processes: ProcessLoad[]
  /** cpuTimes() at the start and end of the window. */
  machine: { before: { busyMs: number, totalMs: number }, after: { busyMs: number, totalMs: number } }
  pastDeadline: number
  ops: number
  rpcTimeoutMs: number
  cores?: number
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000

export function machineLoad (i: MachineLoadInput): MachineLoad {
  const cores = i.cores ?? availableParallelism()
  const windowMs = Math.max(0, ...i.processes.map(p => p.windowMs))
  const cpuCores = i.processes.reduce((s, p) => s + (p.windowMs > 0 ? p.cpuMs / p.windowMs : 0), 0)
  const total = i.machine.after.totalMs - i.machine.before.totalMs
  const machineBusyShare = total > 0 ? (i.machine.after.busyMs - i.machine.before.busyMs) / total : 0
  const worst = (k: 'p50' | 'p99'): number => Math.max(0, ...i.processes.map(p => p.loopDelayMs[k]))
  const loopDelayMs = { p50: worst('p50'), p99: worst('p99') }
  const reasons = saturationReasons({ cpuShare: cpuCores / cores, machineBusyShare, loopP99Ms: loopDelayMs.p99, rpcTimeoutMs: i.rpcTimeoutMs })
  return {
    window: i.window,
    windowMs,
    cores,
    cpuCores: r3(cpuCores),
    cpuShare: r3(cpuCores / cores),
    machineBusyShare: r3(machineBusyShare),
    loopDelayMs,
    pastDeadline: i.pastDeadline,
    ops: i.ops,
    saturated: reasons.length > 0,
    reasons,
    processes: i.processes
  }
}

/** What the peers cost per peer: summed over the processes that host peers, over one window. */
export interface PeerResources {
  window: string
  windowMs: number
  peers: number
  processes: number
  cpuMsPerPeerPerSec: number
  rssMbPerPeer: number
  /** The window's machine load was saturated (the same rule): CPU contention inflates these too. */
  saturated: boolean
  reasons: string[]
}

/** Resources per peer over the window of `load`. */
export function peerResources (load: MachineLoad): PeerResources {
  const hosts = load.processes.filter(p => p.peers > 0)
  const peers = hosts.reduce((s, p) => s + p.peers, 0)
  const cpuMsPerSec = hosts.reduce((s, p) => s + (p.windowMs > 0 ? p.cpuMs / (p.windowMs / 1000) : 0), 0)
  const rssMb = hosts.reduce((s, p) => s + p.rssMb, 0)
  return {
    window: load.window,
    windowMs: Math.max(0, ...hosts.map(p => p.windowMs)),
    peers,
    processes: hosts.length,
    cpuMsPerPeerPerSec: peers === 0 ? NaN : r3(cpuMsPerSec / peers),
    rssMbPerPeer: peers === 0 ? NaN : r3(rssMb / peers),
    saturated: load.saturated,
    reasons: load.reasons
  }
}

/** One line for a printed summary. */
export function formatMachineLoad (m: MachineLoad): string {
  return `${m.saturated ? 'SATURATED' : 'not saturated'}: CPU ${m.cpuCores} of ${m.cores} cores (${Math.round(m.cpuShare * 100)}%), machine busy ${Math.round(m.machineBusyShare * 100)}%, ` +
    `event-loop delay p50 ${m.loopDelayMs.p50} ms p99 ${m.loopDelayMs.p99} ms (worst of ${m.processes.length} processes), ${m.pastDeadline} of ${m.ops} operations past their deadline; over ${m.window}` +
    (m.saturated ? `; ${m.reasons.join('; ')}` : '')
}

export function formatResources (r: PeerResources): string {
  return `${r.cpuMsPerPeerPerSec} ms CPU per peer per second, ${r.rssMbPerPeer} MB RSS per peer (${r.peers} peers in ${r.processes} process(es); ${r.window}, ${(r.windowMs / 1000).toFixed(1)} s)${r.saturated ? `; SATURATED: ${r.reasons.join('; ')}` : ''}`
}
