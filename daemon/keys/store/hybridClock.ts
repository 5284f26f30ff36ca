// Hybrid logical clocks: Kulkarni et al., "Logical Physical Clocks" (OPODIS 2014), with the
// bound on remote timestamps their section 4 asks for (a clock is never dragged further
// than the maximum skew ahead of the local one). Versions and their order: protocol/version.ts.
import { ErrorCode } from '../../../protocol/chord.js'
import { ChordError } from '../../../protocol/errors.js'
import { MAX_TS, physicalMs, tsOfMs } from '../../../protocol/version.js'

/** A version further ahead of the local clock than --max-clock-skew-ms, or one that cannot be stored. */
export class ClockSkewError extends ChordError {
  override name = 'ClockSkewError'
  constructor (message: string) { super(ErrorCode.CLOCK_SKEW, message) }
}

/**
 * Timestamps that never go backwards and stay ahead of every timestamp observed, but never
 * run more than `maxSkewMs` ahead of the local wall clock: a remote timestamp further ahead
 * is refused by `check` and never observed, so one fast or lying clock cannot drag the ring.
 */
export class HybridClock {
  #last = 0n

  /** @param now the local wall clock, ms. @param maxSkewMs how far ahead of it a remote timestamp may be. */
  constructor (readonly now: () => number = Date.now, readonly maxSkewMs = Number.POSITIVE_INFINITY) {}

  /** A timestamp larger than every one issued or observed before. */
  next (): bigint {
    const wall = tsOfMs(this.now())
    this.#last = wall > this.#last ? wall : this.#last + 1n
    return this.#last
  }

  /** How far a timestamp is ahead of the local wall clock, ms (negative: behind). */
  aheadMs (ts: bigint): number {
    return physicalMs(ts) - this.now()
  }

  /** Throws ClockSkewError unless ts fits the store and is at most maxSkewMs ahead of the local clock. */
  check (ts: bigint): void {
    if (ts <= 0n || ts > MAX_TS) throw new ClockSkewError(`timestamp ${ts} is outside (0, 2^63)`)
    const ahead = this.aheadMs(ts)
    if (ahead > this.maxSkewMs) throw new ClockSkewError(`version is ${ahead} ms ahead of this peer's clock (at most ${this.maxSkewMs} ms is accepted)`)
  }

  /** Move past a timestamp seen from another peer; one that fails `check` is ignored. */
  observe (ts: bigint): void {
    if (ts > this.#last && ts <= MAX_TS && this.aheadMs(ts) <= this.maxSkewMs) this.#last = ts
  }
}
