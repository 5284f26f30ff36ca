// One maintenance trial (docs/cost-model.md "Adaptive maintenance"): a ring of N peers in one
// mode reaches the ideal state, is left alone until its periods settle, and its idle cost is
// metered over a window; then a peer is killed, one joins, one leaves, and after each the time
// until the ring is ideal again is measured against the bound below. Performance beside cost,
// as Li et al. (INFOCOM 2005) compare DHT maintenance.
import { maintenanceBounds, stabilizeGapMs } from '../../daemon/host/maintenanceSchedule.js'
import { resolveConfig, type PeerConfigInput } from '../../daemon/host/config.js'
import { TAGS, type PeerStats, type Tag } from '../../protocol/telemetry.js'
import { createTestnet, type Testnet } from '../testnet.js'
import { percentile } from './stats.js'

export type MaintenanceMode = 'adaptive' | 'fixed'
export type RingEvent = 'kill' | 'join' | 'leave'
export const EVENTS: readonly RingEvent[] = ['kill', 'join', 'leave']

export interface TrialOptions {
  peers: number
  mode: MaintenanceMode
  /** Every peer's settings (the base periods); `maintenance` is set from `mode`. */
  peerConfig: PeerConfigInput
  /** Left alone after the ring is ideal, before the idle window: adaptive periods stretch meanwhile, ms. */
  settleMs: number
  /** The idle window the meters are read over, ms. */
  windowMs: number
  /** Give up waiting for an ideal ring after this long, ms. */
  convergeTimeoutMs: number
  /** Worker processes (testnet.ts); default 0: this process. */
  procs?: number
  /** Progress, one line at a time. */
  progress?: (line: string) => void
}

export interface TrialResult {
  mode: MaintenanceMode
  peers: number
  idle: {
    windowMs: number
    /** Bytes (requests + answers) of maintenance-tagged RPCs per peer per second, counted where they were sent. */
    maintenanceBytesPerPeerPerSec: number
    maintenanceRequestsPerPeerPerSec: number
    /** Every RPC but telemetry, all terms (a fix-fingers lookup's forwarded hops count as forwarding). */
    allBytesPerPeerPerSec: number
    /** Median over the peers of the stabilize period at the window's end, ms. */
    stabilizePeriodMs: number
  }
  /** ms from each event until the ring was ideal again; null: not within convergeTimeoutMs. */
  idealAfterMs: Record<RingEvent, number | null>
  /** What the daemon promises for each event on an unloaded machine, ms (convergenceBoundMs). */
  boundMs: Record<RingEvent, number>
}

/**
 * The time after an event within which the ring is ideal again, unloaded. A death waits for the
 * dead peer's predecessor to stabilize (at most one longest gap), a failed notify and the
 * successor's rectify ping (an RPC timeout each); then the r peers behind it copy the new list,
 * one base round each (hinted in adaptive mode: ring/changeHints.ts). A join or leave is told at
 * once (notify, LEAVING: one RPC), so it pays only the r base rounds.
 */
export function convergenceBoundMs (input: PeerConfigInput, event: RingEvent): number {
  const cfg = resolveConfig(input)
  const chain = cfg.successors * 1.1 * cfg.stabilizeMs
  const detect = event === 'kill' ? stabilizeGapMs(cfg) + 2 * cfg.rpcTimeoutMs : cfg.rpcTimeoutMs
  return Math.ceil(detect + chain)
}

interface Totals { bytes: Record<Tag, number>, requests: Record<Tag, number> }

async function totals (net: Testnet): Promise<{ sum: Totals, stats: PeerStats[] }> {
  const stats = (await Promise.all(net.live().map(async p => await net.client.stats(p.target).catch(() => undefined)))).filter((s): s is PeerStats => s != null)
  const sum: Totals = { bytes: Object.fromEntries(TAGS.map(t => [t, 0])) as Record<Tag, number>, requests: Object.fromEntries(TAGS.map(t => [t, 0])) as Record<Tag, number> }
  for (const s of stats) {
    for (const t of TAGS) {
      const c = s.meters.sent[t]
      sum.bytes[t] += c.bytesIn + c.bytesOut
      sum.requests[t] += c.requests
    }
  }
  return { sum, stats }
}

export async function runTrial (o: TrialOptions): Promise<TrialResult> {
  const peerConfig: PeerConfigInput = { ...o.peerConfig, maintenance: o.mode }
  const say = o.progress ?? (() => {})
  const net = await createTestnet({ peers: o.peers, procs: o.procs ?? 0, peerConfig })
  try {
    const ideal = async (what: string): Promise<number | null> => {
      const c = await net.waitIdeal({ timeoutMs: o.convergeTimeoutMs, pollMs: 250 })
      say(`${o.mode}: ${what}: ${c.ideal ? `ideal after ${c.waitedMs} ms` : `not ideal after ${c.waitedMs} ms: ${c.problems.slice(0, 3).join('; ')}`}`)
      return c.ideal ? c.waitedMs : null
    }
    if (await ideal('start') == null) throw new Error(`${o.mode}: the ring of ${o.peers} was not ideal within ${o.convergeTimeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, o.settleMs))
    const before = await totals(net)
    const t0 = Date.now()
    await new Promise(resolve => setTimeout(resolve, o.windowMs))
    const after = await totals(net)
    const perPeerPerSec = (x: number): number => x / before.stats.length / ((Date.now() - t0) / 1000)
    const nonTelemetry = (t: Totals): number => TAGS.filter(x => x !== 'telemetry').reduce((s, x) => s + t.bytes[x], 0)
    const idle = {
      windowMs: o.windowMs,
      maintenanceBytesPerPeerPerSec: perPeerPerSec(after.sum.bytes.maintenance - before.sum.bytes.maintenance),
      maintenanceRequestsPerPeerPerSec: perPeerPerSec(after.sum.requests.maintenance - before.sum.requests.maintenance),
      allBytesPerPeerPerSec: perPeerPerSec(nonTelemetry(after.sum) - nonTelemetry(before.sum)),
      stabilizePeriodMs: percentile(after.stats.map(s => s.maintenance?.periodsMs.stabilize ?? NaN), 50)
    }
    const idealAfterMs: Record<RingEvent, number | null> = { kill: null, join: null, leave: null }
    const pick = (): NonNullable<ReturnType<Testnet['live']>[number]> => { const live = net.live(); return live[1 + Math.floor(Math.random() * (live.length - 1))] }
    await net.stopPeer(pick(), { leave: false })
    idealAfterMs.kill = await ideal('kill')
    await net.addPeer()
    idealAfterMs.join = await ideal('join')
    await net.stopPeer(pick(), { leave: true })
    idealAfterMs.leave = await ideal('leave')
    const boundMs = Object.fromEntries(EVENTS.map(e => [e, convergenceBoundMs(peerConfig, e)])) as Record<RingEvent, number>
    return { mode: o.mode, peers: o.peers, idle, idealAfterMs, boundMs }
  } finally {
    await net.stop()
  }
}

/** The bounds a trial's peers ran with, for the report. */
export function trialBounds (peerConfig: PeerConfigInput, mode: MaintenanceMode): ReturnType<typeof maintenanceBounds> {
  return maintenanceBounds(resolveConfig({ ...peerConfig, maintenance: mode }))
}
