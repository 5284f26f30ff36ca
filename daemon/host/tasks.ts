// A peer's periodic tasks (periodic.ts: jittered, never overlapping themselves): ring
// maintenance (stabilize, check-predecessor, fix-fingers, heal), anti-entropy repair, the
// rechoke round and the suspects' re-probe. A failed run is logged at debug level, unless
// the peer is stopping.
import type { Logger } from 'pino'
import { MessageType } from '../../protocol/chord.js'
import type { Choker } from '../choking/choker.js'
import type { InNeighbours } from '../choking/inNeighbours.js'
import type { AntiEntropy } from '../keys/antiEntropy.js'
import type { Maintenance } from '../ring/maintenance.js'
import type { Suspects } from '../ring/suspects.js'
import type { RpcClient } from '../rpc/client.js'
import type { PeerConfig } from './config.js'
import { Periodic } from './periodic.js'

/** Remembered members asked per healing round (each at most one RPC timeout). */
const HEAL_CHECKS = 2
/** How often due suspects are looked at, ms, and how many are pinged at most each time. */
const SUSPECT_PROBE_MS = 500
const SUSPECT_PROBES = 4

export type TaskName = 'stabilize' | 'check-predecessor' | 'repair' | 'fix-fingers' | 'rechoke' | 'heal' | 'suspects'

export interface PeerTasksInit {
  config: Pick<PeerConfig, 'stabilizeMs' | 'checkPredecessorMs' | 'repairMs' | 'fixFingersMs' | 'healMs' | 'rpcTimeoutMs' | 'choking'>
  maintenance: Maintenance
  antiEntropy: AntiEntropy
  choker: Choker
  inNeighbours?: InNeighbours
  rpc: RpcClient
  suspects: Suspects
  log: Logger
  /** The peer's lifetime: every task's RPCs end with it. */
  signal: AbortSignal
}

export class PeerTasks {
  readonly #tasks: ReadonlyMap<TaskName, Periodic>

  constructor ({ config: cfg, maintenance, antiEntropy, choker, inNeighbours, rpc, suspects, log, signal }: PeerTasksInit) {
    const task = (name: TaskName, periodMs: number, what: string, run: () => Promise<void>): [TaskName, Periodic] =>
      [name, new Periodic(name, periodMs, run, err => {
        if (signal.aborted) return
        log.debug({ err: (err as Error).message }, `${what} failed`)
      })]
    this.#tasks = new Map([
      task('stabilize', cfg.stabilizeMs, 'stabilize', async () => { await maintenance.stabilize(signal) }),
      task('check-predecessor', cfg.checkPredecessorMs, 'check predecessor', async () => { await maintenance.checkPredecessor(cfg.checkPredecessorMs, signal) }),
      task('repair', cfg.repairMs, 'repair', async () => { await antiEntropy.round(signal) }),
      task('fix-fingers', cfg.fixFingersMs, 'fix fingers', async () => { await maintenance.fixFingers(signal) }),
      task('rechoke', cfg.choking.rechokeMs, 'rechoke', async () => { choker.rechoke(); inNeighbours?.prune() }),
      task('heal', cfg.healMs, 'heal', async () => { await maintenance.heal(HEAL_CHECKS, signal) }),
      // Suspects are re-probed with backoff (suspects.ts); an answer clears them (meters/requestHooks.ts).
      task('suspects', SUSPECT_PROBE_MS, 'suspect probe', async () => {
        await Promise.allSettled(suspects.due(SUSPECT_PROBES).map(async p => await rpc.request(p, MessageType.PING, {}, { timeoutMs: cfg.rpcTimeoutMs, signal })))
      })
    ])
  }

  /** Start every task (again, after stop()); safe to call twice. */
  start (): void {
    for (const t of this.#tasks.values()) t.start()
  }

  /** Run one task now (or join its run in progress), then keep its schedule. */
  async runNow (name: TaskName): Promise<void> {
    await this.#tasks.get(name)!.runNow()
  }

  /** Stop every task, waiting for runs in progress. */
  async stop (): Promise<void> {
    await Promise.all([...this.#tasks.values()].map(async t => { await t.stop() }))
  }
}
