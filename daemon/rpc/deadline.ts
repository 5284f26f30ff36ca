// How much of a request's deadline is left when work on it starts. The remote names its
// budget; the server cuts it at its own bound (a remote cannot make it hold a request slot
// for 49 days) and takes off time the process itself was stalled (SIGSTOP, a long GC, a
// blocked loop): a frame may have sat unread in a socket buffer all that time.
// A stall is seen two ways, because either the timer or the socket may run first after it:
// at request start, time since the last tick beyond one interval (the timer has not caught up
// yet: a loop blocked by work reads its sockets first); and the last late tick, for input read
// in the same loop turn, until the turn's check phase. After SIGCONT it is the timer first:
// epoll_wait returns EINTR (signal(7)) and libuv, its poll timeout spent, runs the timers before
// it polls (measured: the tick 1.7 s late, then the data 1 ms later).
import { STALL_TICK_MS } from '../../protocol/constants.js'

/** Notices event-loop stalls: a tick that comes later than its interval. Pure; the clock is injected. */
export class StallClock {
  #lastTick: number
  #lastStallMs = 0

  constructor (readonly intervalMs: number, readonly now: () => number = () => performance.now()) {
    this.#lastTick = now()
  }

  /** Called every intervalMs by a timer. Returns whether it came late (a stall): then call settle() once the loop has polled. */
  tick (): boolean {
    const now = this.now()
    const late = now - this.#lastTick - this.intervalMs
    this.#lastTick = now
    if (late <= 0) return false
    this.#lastStallMs = late
    return true
  }

  /** The input that waited through the last stall has been read (the loop turn after the late tick polled): forget it. */
  settle (): void { this.#lastStallMs = 0 }

  /**
   * How long input read now may have waited unread because the process was stalled, ms: the
   * stall still going on (no tick for more than an interval), or the one the last tick saw if
   * the loop has not polled since, whichever is longer.
   */
  unaccountedMs (): number {
    return Math.max(this.#lastStallMs, this.now() - this.#lastTick - this.intervalMs, 0)
  }
}

let shared: StallClock | undefined

/** The process's stall clock: one unref'd interval timer for every peer in the process, started at first use. */
export function processStallClock (): StallClock {
  if (shared == null) {
    const clock = shared = new StallClock(STALL_TICK_MS)
    // setImmediate runs in the check phase, after the poll phase that read what waited.
    setInterval(() => { if (clock.tick()) setImmediate(() => { clock.settle() }) }, STALL_TICK_MS).unref()
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
