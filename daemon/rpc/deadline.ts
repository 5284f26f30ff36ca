// How much of a request's deadline is left when work on it starts. The remote names its
// budget; the server cuts it at its own bound (a remote cannot make it hold a request slot
// for 49 days) and takes off time the process itself was stalled (SIGSTOP, a long GC, a
// blocked loop): a frame may have sat unread in a socket buffer all that time. The stall is
// read lazily at request start, not pushed by the timer, because after a stall (SIGCONT)
// libuv runs I/O callbacks before timers: the timer would not have caught up yet.
import { STALL_TICK_MS } from '../../protocol/constants.js'

/** Notices event-loop stalls: a tick that comes later than its interval. Pure; the clock is injected. */
export class StallClock {
  #lastTick: number

  constructor (readonly intervalMs: number, readonly now: () => number = () => performance.now()) {
    this.#lastTick = now()
  }

  /** Called every intervalMs by a timer. */
  tick (): void { this.#lastTick = this.now() }

  /** Time since the last tick beyond one interval, ms: how long input may have waited unread. */
  unaccountedMs (): number { return Math.max(0, this.now() - this.#lastTick - this.intervalMs) }
}

let shared: StallClock | undefined

/** The process's stall clock: one unref'd interval timer for every peer in the process, started at first use. */
export function processStallClock (): StallClock {
  if (shared == null) {
    const clock = shared = new StallClock(STALL_TICK_MS)
    setInterval(() => { clock.tick() }, STALL_TICK_MS).unref()
  }
  return shared
}

export interface DeadlineBounds {
  /** Used when a request names no deadline, ms. */
  defaultMs: number
  /** The longest deadline honoured, ms. */
  maxMs: number
}

/**
 * The budget a handler gets, ms: the requester's deadline (or the default), at most the
 * server's bound, less the time the process was stalled. Zero or less: do not start.
 */
export function requestBudgetMs (askedMs: number, bounds: DeadlineBounds, stalledMs: number): number {
  const asked = askedMs > 0 ? askedMs : bounds.defaultMs
  return Math.min(asked, bounds.maxMs) - Math.max(0, stalledMs)
}
