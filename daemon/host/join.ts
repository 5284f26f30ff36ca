// Joining a ring through its bootstrap peers: one attempt after another, with capped backoff,
// until one succeeds or the peer stops.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'

export interface JoinWithRetryOptions {
  /** One attempt to join (Maintenance.join through the bootstrap peers). */
  join: (signal: AbortSignal) => Promise<void>
  /** The peer's lifetime: aborting it ends the retries, with the last attempt's error. */
  signal: AbortSignal
  log: Logger
  /** Wait after the first failed attempt, ms; doubled after each further one. @default 200 */
  firstDelayMs?: number
  /** Longest wait between two attempts, ms. @default 5000 */
  maxDelayMs?: number
}

/** Join, retrying with capped backoff until joined or `signal` aborts. */
export async function joinWithRetry (o: JoinWithRetryOptions): Promise<void> {
  let delay = o.firstDelayMs ?? 200
  for (;;) {
    try {
      await o.join(o.signal)
      return
    } catch (err) {
      if (o.signal.aborted) throw err
      o.log.warn({ err: (err as Error).message, retryMs: delay }, 'join failed, retrying')
      // An abort ends the wait early; the attempt after it then fails and ends the retries.
      await sleep(delay, undefined, { signal: o.signal }).catch(() => {})
      delay = Math.min(delay * 2, o.maxDelayMs ?? 5_000)
    }
  }
}
