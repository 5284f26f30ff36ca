// How often each maintenance task runs. Fixed: every base period, as Stoica et al. (2001).
// Adaptive, after MIT lsd (sit/dht chord/stabilize.C): a round that changed nothing stretches
// the period by 1.2 up to a bound; any change puts it back to the base period at once.
import type { AdaptiveTask } from '../../protocol/telemetry.js'
import type { RingChange } from '../ring/ringState.js'
import type { PeerConfig } from './peerConfig.js'

/** lsd stretches a quiet stabilize or fix-fingers period by this much a round (stabilize.C). */
export const GROWTH = 1.2
/** lsd: successor stabilize 1 s -> 20 s (stabilize.C), so 20 x --stabilize-ms unless given. */
export const STABILIZE_MAX_FACTOR = 20
/** lsd: finger stabilize 1 s -> 16 s (stabilize.C), so 16 x --fix-fingers-ms unless given. */
export const FIX_FINGERS_MAX_FACTOR = 16
/** Ours: a replica write missed while nothing changed is repaired within 12 base periods (5 s -> 60 s). */
export const REPAIR_MAX_FACTOR = 12
/** Periodic's jitter: a period is drawn from [0.9, 1.1] x its length (periodic.ts). */
export const JITTER = 0.1

export interface PeriodBounds {
  /** The period after a change, and the only one in fixed mode, ms. */
  readonly baseMs: number
  /** The longest a quiet period grows to, ms; equal to baseMs in fixed mode. */
  readonly maxMs: number
}

export type ScheduleConfig = Pick<PeerConfig, 'maintenance' | 'stabilizeMs' | 'stabilizeMaxMs' | 'fixFingersMs' | 'fixFingersMaxMs' | 'checkPredecessorMs' | 'repairMs' | 'repairMaxMs'>

/** The bounds of the tasks that back off; every other task runs at its fixed period. */
export interface MaintenanceBounds {
  stabilize: PeriodBounds
  fixFingers: PeriodBounds
  /** Grows like stabilize: the predecessor's notifies, which prove it alive, come that far apart. */
  checkPredecessor: PeriodBounds
  repair: PeriodBounds
}

export function maintenanceBounds (cfg: ScheduleConfig): MaintenanceBounds {
  const adaptive = cfg.maintenance === 'adaptive'
  const bound = (baseMs: number, given: number | undefined, factor: number): PeriodBounds =>
    ({ baseMs, maxMs: adaptive ? Math.max(baseMs, given ?? baseMs * factor) : baseMs })
  const stabilize = bound(cfg.stabilizeMs, cfg.stabilizeMaxMs, STABILIZE_MAX_FACTOR)
  return {
    stabilize,
    fixFingers: bound(cfg.fixFingersMs, cfg.fixFingersMaxMs, FIX_FINGERS_MAX_FACTOR),
    checkPredecessor: { baseMs: cfg.checkPredecessorMs, maxMs: Math.max(cfg.checkPredecessorMs, stabilize.maxMs) },
    repair: bound(cfg.repairMs, cfg.repairMaxMs, REPAIR_MAX_FACTOR)
  }
}

/** The next period: back to the base after a change, else stretched by GROWTH up to the bound. */
export function nextPeriodMs (currentMs: number, bounds: PeriodBounds, changed: boolean): number {
  if (changed) return bounds.baseMs
  return Math.min(bounds.maxMs, Math.max(bounds.baseMs, currentMs * GROWTH))
}

/**
 * The longest a live neighbour's stabilize rounds can be apart, ms: its longest period with
 * jitter, plus one RPC of the round itself. A predecessor heard from within it needs no ping
 * (check-predecessor), and a peer whose last stable round is older is not ready.
 */
export function stabilizeGapMs (cfg: ScheduleConfig & Pick<PeerConfig, 'rpcTimeoutMs'>): number {
  return Math.ceil(maintenanceBounds(cfg).stabilize.maxMs * (1 + JITTER)) + cfg.rpcTimeoutMs
}

/**
 * The adaptive tasks a change of the ring puts back to their base periods. lsd keeps the
 * successor's stabilization (stabilize_continuous) and the fingers' (stabilize_backoff, one
 * finger a call) on separate timers, and a change of the ring does not reset the finger timer
 * (sit/dht chord/stabilize.C). So here: a successor-list change resets stabilize, and repair too
 * when it reaches the replica set (the successor and the r - 2 after it: holderRule.ts); a new
 * predecessor resets check-predecessor and repair (what we own moved); a new predecessor list,
 * repair; a finger lost, fix-fingers. Fix-fingers otherwise resets only on its own rounds that
 * changed a finger: reset by every successor change, it spent a lookup a base period on peers
 * whose fingers had not moved all through a large ring's growth (issue 13).
 */
export function tasksToReset (change: RingChange, replicas: number): AdaptiveTask[] {
  switch (change.kind) {
    case 'successors': return change.from < Math.max(1, replicas - 1) ? ['stabilize', 'repair'] : ['stabilize']
    case 'predecessor': return ['check-predecessor', 'repair']
    case 'predecessors': return ['repair']
    case 'fingers': return ['fix-fingers']
  }
}
