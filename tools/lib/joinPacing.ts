// Pacing a testnet's join waves by the machine's own load. A wave of joins on a machine whose
// event loops already lag makes every peer's RPCs late, the late RPCs look like failures, and the
// repairs they trigger load it further: at 512 of 1024 peers on 2 cores every join timed out
// (issue 13). So the next wave waits while some process's event-loop p99, over the previous
// wave or pause, is past a limit: by default half of what the reports call saturated
// (machineLoad.ts), so that joins stop before the machine gets there, not after.
import { loopDelayLimitMs, type ProcessLoad } from './machineLoad.js'

/** The default limit, ms: half the saturation limit (RPC timeout / 20). */
export const paceLimitMs = (rpcTimeoutMs: number): number => loopDelayLimitMs(rpcTimeoutMs) / 2

export interface PaceOptions {
  /** Each process's load since the previous call (Testnet.markLoad); processes that did not answer are left out. */
  sample: () => Promise<ProcessLoad[]>
  /** The event-loop p99 a wave waits below, ms (paceLimitMs). */
  limitMs: number
  /** Longest one wave waits, ms: past it the wave joins anyway (the start's own deadline still holds). */
  maxWaitMs: number
  /** Pause between two samples, ms. */
  pollMs: number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

export interface Paced {
  /** How long the wave waited, ms. */
  waitedMs: number
  /** The worst event-loop p99 of the last sample, ms. */
  worstP99Ms: number
  /** Whether it stopped waiting at maxWaitMs with the machine still over the limit. */
  gaveUp: boolean
  /** Samples taken: 1 when the wave did not wait. */
  samples: number
}

/** The worst event-loop p99 among `loads`, ms (0 for none). */
export function worstLoopP99 (loads: readonly ProcessLoad[]): number {
  return loads.reduce((m, l) => Math.max(m, l.loopDelayMs.p99), 0)
}

/** Wait until every process's event-loop p99 is within limitMs, or maxWaitMs has passed. */
export async function paceJoins (o: PaceOptions): Promise<Paced> {
  const sleep = o.sleep ?? (async (ms: number) => { await new Promise(resolve => setTimeout(resolve, ms)) })
  const now = o.now ?? Date.now
  const started = now()
  for (let samples = 1; ; samples++) {
    const worst = worstLoopP99(await o.sample())
    const waitedMs = now() - started
    if (worst <= o.limitMs) return { waitedMs, worstP99Ms: worst, gaveUp: false, samples }
    if (waitedMs >= o.maxWaitMs) return { waitedMs, worstP99Ms: worst, gaveUp: true, samples }
    await sleep(o.pollMs)
  }
}
