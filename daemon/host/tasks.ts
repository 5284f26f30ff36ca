// A peer's periodic tasks (periodic.ts: jittered, never overlapping themselves): ring
// maintenance (stabilize, check-predecessor, fix-fingers, heal), anti-entropy repair, the
// rechoke round and the suspects' re-probe. In adaptive mode the first four stretch their
// periods while their rounds change nothing, and a change of the ring resets the ones it
// concerns (maintenanceSchedule.ts). A failed run is logged at debug level, unless the peer
// is stopping.
import type { Logger } from 'pino'
import { MessageType } from '../../protocol/chord.js'
import type { AdaptiveTask, MaintenanceStatus } from '../../protocol/telemetry.js'
import type { Choker } from '../choking/choker.js'
import type { InNeighbours } from '../choking/inNeighbours.js'
import type { AntiEntropy } from '../keys/antiEntropy.js'
import type { ChangeHints } from '../ring/changeHints.js'
import type { Maintenance } from '../ring/maintenance.js'
import type { RingState } from '../ring/ringState.js'
import type { Suspects } from '../ring/suspects.js'
import type { RpcClient } from '../rpc/client.js'
import type { PeerConfig } from './config.js'
import { maintenanceBounds, stabilizeGapMs, tasksToReset, type PeriodBounds, type ScheduleConfig } from './maintenanceSchedule.js'
import { Periodic, type RunOutcome } from './periodic.js'

/** Remembered members asked per healing round (each at most one RPC timeout). */
const HEAL_CHECKS = 2
/** How often due suspects are looked at, ms, and how many are pinged at most each time. */
const SUSPECT_PROBE_MS = 500
const SUSPECT_PROBES = 4
/** With no suspect, the look stretches up to this many times SUSPECT_PROBE_MS (adaptive mode); a new suspect brings it back at once. */
const SUSPECT_IDLE_FACTOR = 16

export type TaskName = 'stabilize' | 'check-predecessor' | 'repair' | 'fix-fingers' | 'rechoke' | 'heal' | 'suspects'
/** The tasks whose period adapts (maintenanceSchedule.ts); a change of the ring resets those it concerns (tasksToReset). */
const ADAPTIVE: readonly AdaptiveTask[] = ['stabilize', 'check-predecessor', 'fix-fingers', 'repair']

export interface PeerTasksInit {
  config: ScheduleConfig & Pick<PeerConfig, 'healMs' | 'rpcTimeoutMs' | 'choking' | 'replicas'>
  maintenance: Maintenance
  antiEntropy: AntiEntropy
  choker: Choker
  inNeighbours?: InNeighbours
  rpc: RpcClient
  suspects: Suspects
  /** Adaptive mode: hints our changes to the peers behind us, and stabilizes soon on theirs (ring/changeHints.ts). */
  hints?: Pick<ChangeHints, 'start'>
  /** Whether a round changed the ring (its version), and a call on every change. */
  ring: Pick<RingState, 'version' | 'watch' | 'fingers' | 'memory'>
  log: Logger
  /** The peer's lifetime: every task's RPCs end with it. */
  signal: AbortSignal
}

export class PeerTasks {
  readonly #tasks: ReadonlyMap<TaskName, Periodic>
  readonly #mode: MaintenanceStatus['mode']

  constructor ({ config: cfg, maintenance, antiEntropy, choker, inNeighbours, rpc, suspects, hints, ring, log, signal }: PeerTasksInit) {
    this.#mode = cfg.maintenance
    const bounds = maintenanceBounds(cfg)
    const fixed = (periodMs: number): PeriodBounds => ({ baseMs: periodMs, maxMs: periodMs })
    const task = (name: TaskName, b: PeriodBounds, what: string, run: () => Promise<RunOutcome | void>): [TaskName, Periodic] =>
      [name, new Periodic({
        name,
        bounds: b,
        run,
        onError: err => {
          if (signal.aborted) return
          log.debug({ err: (err as Error).message }, `${what} failed`)
        }
      })]
    /** 'quiet' when `round` left the ring's version (and what `same` reads) as they were. */
    const quietIf = async (round: () => Promise<unknown>, same: () => number = () => 0): Promise<RunOutcome> => {
      const v = ring.version
      const s = same()
      await round()
      return ring.version === v && same() === s ? 'quiet' : 'changed'
    }
    // A live predecessor notifies us at least this often; heard within it, no ping (predecessorWatch.ts).
    const heardWithinMs = cfg.maintenance === 'adaptive' ? stabilizeGapMs(cfg) : cfg.checkPredecessorMs
    this.#tasks = new Map([
      task('stabilize', bounds.stabilize, 'stabilize', async () => await quietIf(async () => { await maintenance.stabilize(signal) })),
      task('check-predecessor', bounds.checkPredecessor, 'check predecessor', async () => await quietIf(async () => { await maintenance.checkPredecessor(heardWithinMs, signal) })),
      task('repair', bounds.repair, 'repair', async () => {
        let moved = 0
        const outcome = await quietIf(async () => { const r = await antiEntropy.round(signal); moved = r.pushed + r.pulled + r.strays })
        return moved === 0 ? outcome : 'changed'
      }),
      task('fix-fingers', bounds.fixFingers, 'fix fingers', async () => await quietIf(async () => { await maintenance.fixFingers(signal) }, () => ring.fingers.version)),
      task('rechoke', fixed(cfg.choking.rechokeMs), 'rechoke', async () => { choker.rechoke(); inNeighbours?.prune() }),
      task('heal', fixed(cfg.healMs), 'heal', async () => { await maintenance.heal(HEAL_CHECKS, signal) }),
      // Suspects are re-probed with backoff (suspects.ts); an answer clears them (meters/requestHooks.ts).
      // With nobody suspected, a round is 'quiet' (no work, no allocation: it ran twice a second on every idle peer).
      task('suspects', cfg.maintenance === 'adaptive' ? { baseMs: SUSPECT_PROBE_MS, maxMs: SUSPECT_PROBE_MS * SUSPECT_IDLE_FACTOR } : fixed(SUSPECT_PROBE_MS), 'suspect probe', async () => {
        if (suspects.size === 0) return 'quiet'
        // At the newest addresses the ring named for it: a suspect that restarted on a new port answers there, not at the old one.
        await Promise.allSettled(suspects.due(SUSPECT_PROBES).map(async p => await rpc.request(ring.memory.get(p.peerId) ?? p, MessageType.PING, {}, { timeoutMs: cfg.rpcTimeoutMs, signal })))
        return 'changed'
      })
    ])
    // A change (a new predecessor or successor, a peer found dead, a leave) puts the tasks it concerns back to base.
    ring.watch(change => { for (const name of tasksToReset(change, cfg.replicas)) this.#tasks.get(name)!.reset() })
    if (cfg.maintenance === 'adaptive') hints?.start(() => { this.#tasks.get('stabilize')!.reset() })
    // A new suspect's first probe is due SuspectsOptions.firstRetryMs after it: the look comes back to its base period first.
    suspects.onSuspect(() => { this.#tasks.get('suspects')!.reset() })
  }

  /** The adaptive tasks' periods now, ms (before jitter): what /stats shows. */
  status (): MaintenanceStatus {
    const periodsMs = Object.fromEntries(ADAPTIVE.map(name => [name, this.#tasks.get(name)!.periodMs])) as Record<AdaptiveTask, number>
    return { mode: this.#mode, periodsMs }
  }

  /** Start every task (again, after stop()); safe to call twice. */
  start (): void {
    for (const t of this.#tasks.values()) t.start()
  }

  /** One task's period now, ms (before jitter). */
  periodMs (name: TaskName): number { return this.#tasks.get(name)!.periodMs }

  /** Run one task now (or join its run in progress), then keep its schedule. */
  async runNow (name: TaskName): Promise<void> {
    await this.#tasks.get(name)!.runNow()
  }

  /** Stop every task, waiting for runs in progress. */
  async stop (): Promise<void> {
    await Promise.all([...this.#tasks.values()].map(async t => { await t.stop() }))
  }
}
